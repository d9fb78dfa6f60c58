package dev.memos.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Finds bytes in files on disk, as {@code grep -rl} would: how the erasure tests look for what must be gone. */
final class DiskScan {
    private DiskScan() {
    }

    /** The files under {@code root} holding the token's UTF-8 bytes. */
    static List<Path> occurrences(Path root, String token) throws IOException {
        // Latin-1 maps each byte to one char, so a substring search on the decoded file is a byte search.
        String needle = new String(token.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        List<Path> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                try {
                    if (new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(needle)) {
                        found.add(file);
                    }
                } catch (NoSuchFileException gone) {
                    // removed while walking (a merged segment, a recycled file): it holds nothing now
                }
            }
        }
        return found;
    }
}
