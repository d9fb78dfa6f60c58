package dev.memos.api;

import dev.memos.scheduler.erasure.FileScan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds bytes in files on disk, as {@code grep -rl} would: how the erasure tests look for what must be gone. */
final class DiskScan {
    private DiskScan() {
    }

    /** The files under {@code root} holding the token's UTF-8 bytes. */
    static List<Path> occurrences(Path root, String token) throws IOException {
        // Latin-1 maps each byte to one char, so a substring search on the decoded file is a byte search.
        String needle = new String(token.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        List<Path> found = new ArrayList<>();
        for (Path file : FileScan.regularFiles(root)) {
            try {
                if (new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(needle)) {
                    found.add(file);
                }
            } catch (NoSuchFileException gone) {
                // removed after it was listed: it holds nothing now
            }
        }
        return found;
    }
}
