package dev.memos.scheduler.erasure;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Scans every regular file under some directories for byte strings (the probes of an erasure), as an outside
 * check would grep the data directory. Each file is read once, whatever the number of probes: a table indexed
 * by a probe's first two bytes says which probes can start at a position.
 *
 * @param roots the directories to scan (missing ones are skipped)
 * @param skipped directories under a root not to scan (e.g. unpacked native libraries)
 */
public record FileScan(List<Path> roots, Set<Path> skipped) {
    private static final int BUFFER = 8 << 20;

    /**
     * What a scan found: per file holding any probe (relative to its root), the indexes of the probes it holds;
     * and how much it read.
     */
    public record Result(java.util.SortedMap<String, Set<Integer>> hits, long files, long bytes, long millis) {
        /** The indexes of every probe found anywhere. */
        public Set<Integer> found() {
            Set<Integer> all = new TreeSet<>();
            hits.values().forEach(all::addAll);
            return all;
        }

        /** This result without the probes that are {@code explained} (held by data that was not erased). */
        public Result without(Set<Integer> explained) {
            java.util.SortedMap<String, Set<Integer>> left = new java.util.TreeMap<>();
            hits.forEach((file, probes) -> {
                Set<Integer> rest = new TreeSet<>(probes);
                rest.removeAll(explained);
                if (!rest.isEmpty()) {
                    left.put(file, rest);
                }
            });
            return new Result(left, files, bytes, millis);
        }

        public boolean clean() {
            return hits.isEmpty();
        }

        public String summary() {
            return (hits.isEmpty() ? "no erased text found" : "erased text found in " + String.join(", ", hits.keySet()))
                    + " (scanned " + files + " files, " + bytes + " bytes, in " + millis + " ms)";
        }
    }

    public FileScan {
        roots = List.copyOf(roots);
        skipped = Set.copyOf(skipped.stream().map(p -> p.toAbsolutePath().normalize()).toList());
    }

    public Result scan(List<byte[]> probes) {
        long started = System.nanoTime();
        List<Integer>[] byStart = table(probes);
        int longest = probes.stream().mapToInt(p -> p.length).max().orElse(0);
        java.util.SortedMap<String, Set<Integer>> hits = new java.util.TreeMap<>();
        long files = 0, bytes = 0;
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            List<Path> all = regularFiles(root).stream()
                    .filter(p -> skipped.stream().noneMatch(s -> p.toAbsolutePath().normalize().startsWith(s))).toList();
            for (Path file : all) {
                try {
                    Set<Integer> inFile = new TreeSet<>();
                    bytes += scan(file, probes, byStart, longest, inFile);
                    if (!inFile.isEmpty()) {
                        hits.put(root.relativize(file).toString(), inFile);
                    }
                    files++;
                } catch (NoSuchFileException gone) {
                    // deleted while scanning (an index segment merged away): nothing of it is left to find
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + file, e);
                }
            }
        }
        return new Result(hits, files, bytes, (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * The regular files under {@code root}. A file or directory removed while listing (an index segment merged
     * away, PostgreSQL's recycled {@code pg_internal.init}) is left out instead of ending the walk, as
     * {@link Files#walk} would with an {@link UncheckedIOException}.
     */
    public static List<Path> regularFiles(Path root) {
        List<Path> files = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
                    if (a.isRegularFile()) {
                        files.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null && !(e instanceof NoSuchFileException)) {
                        throw e;
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException gone) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        return files;
    }

    @SuppressWarnings("unchecked")
    private static List<Integer>[] table(List<byte[]> probes) {
        List<Integer>[] byStart = new List[1 << 16];
        for (int p = 0; p < probes.size(); p++) {
            byte[] probe = probes.get(p);
            if (probe.length >= 2) {
                int key = (probe[0] & 0xFF) << 8 | (probe[1] & 0xFF);
                (byStart[key] == null ? byStart[key] = new ArrayList<>() : byStart[key]).add(p);
            }
        }
        return byStart;
    }

    /** Reads the file in buffers that overlap by the longest probe, adding the index of every probe found to {@code found}. */
    private static long scan(Path file, List<byte[]> probes, List<Integer>[] byStart, int longest, Set<Integer> found)
            throws IOException {
        byte[] buffer = new byte[BUFFER + longest];
        long read = 0;
        int kept = 0;
        try (InputStream in = Files.newInputStream(file)) {
            while (true) {
                int n = in.readNBytes(buffer, kept, BUFFER);
                if (n <= 0) {
                    return read;
                }
                read += n;
                int end = kept + n;
                for (int i = 0; i + 1 < end; i++) {
                    List<Integer> candidates = byStart[(buffer[i] & 0xFF) << 8 | (buffer[i + 1] & 0xFF)];
                    if (candidates != null) {
                        for (int p : candidates) {
                            byte[] probe = probes.get(p);
                            if (i + probe.length <= end && Arrays.equals(buffer, i, i + probe.length, probe, 0, probe.length)) {
                                found.add(p);
                            }
                        }
                    }
                }
                kept = Math.min(longest, end);
                System.arraycopy(buffer, end - kept, buffer, 0, kept);
            }
        }
    }
}
