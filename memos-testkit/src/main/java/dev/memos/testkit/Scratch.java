package dev.memos.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A data directory for a test, a server or a benchmark under the system's temporary directory, deleted when the JVM
 * exits (also on Ctrl-C): a full test run used to leave ~1,000 of them (several GiB) behind, a run of a benchmark at a
 * million cubes several GiB at once. {@code MEMOS_BENCH_KEEP=1} (or {@code -Dbench.keep=true}) keeps them and prints
 * where each is.
 */
public final class Scratch {
    private static final int ATTEMPTS = 5;

    private Scratch() {
    }

    public static Path directory(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        if (Boolean.getBoolean("bench.keep") || "1".equals(System.getenv("MEMOS_BENCH_KEEP"))) {
            System.out.printf("%s stays (MEMOS_BENCH_KEEP=1)%n", dir);
        } else {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir), "delete-" + prefix));
        }
        return dir;
    }

    /**
     * Deletes {@code dir}; tries again a little later while it fails, since a server writing into it (stopped by
     * its own shutdown hook, which runs beside this one) may still be adding files.
     */
    private static void delete(Path dir) {
        for (int attempt = 1; ; attempt++) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> {
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                return;
            } catch (NoSuchFileException e) {
                return;
            } catch (IOException | UncheckedIOException e) {
                if (attempt == ATTEMPTS) {
                    System.err.printf("could not delete %s: %s%n", dir, e.getMessage());
                    return;
                }
                try {
                    Thread.sleep(200L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
