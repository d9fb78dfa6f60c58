package dev.memos.testkit.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A benchmark's data directory under the system's temporary directory, deleted when the JVM exits (also on Ctrl-C):
 * a run at a million cubes leaves several GiB. {@code MEMOS_BENCH_KEEP=1} (or {@code -Dbench.keep=true}) keeps it and
 * prints where it is.
 */
final class Scratch {
    private Scratch() {
    }

    static Path directory(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        if (Boolean.getBoolean("bench.keep") || "1".equals(System.getenv("MEMOS_BENCH_KEEP"))) {
            System.out.printf("the bench's data stays in %s (MEMOS_BENCH_KEEP=1)%n", dir);
        } else {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir), "delete-" + prefix));
        }
        return dir;
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.printf("could not delete %s: %s%n", dir, e.getMessage());
        }
    }
}
