package dev.memos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memos.client.MemosClient;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The portable space archive (docs/archive.md): a zip holding {@code manifest.json} (format, space, counts and
 * the SHA-256 of every other entry) and {@code cubes.jsonl} (one cube with all its versions per line, as
 * {@code GET /v1/spaces/{space}/export} lists them). Blob payloads would go under {@code blobs/<sha256>};
 * no cube carries one yet.
 */
final class Archive {
    static final String FORMAT = "memos-archive";
    static final int FORMAT_VERSION = 1;
    static final String MANIFEST = "manifest.json";
    static final String CUBES = "cubes.jsonl";

    private Archive() {
    }

    /** Where the cubes of an export come from. */
    interface CubeSource {
        /** Feeds every cube to {@code sink}; returns the number of versions. */
        long forEach(Consumer<JsonNode> sink);
    }

    /**
     * Writes the cubes and the manifest (completed with counts and checksums) into a new archive at {@code file},
     * through a temporary file moved into place at the end: a failed export never leaves half an archive.
     */
    static ObjectNode write(Path file, ObjectNode manifest, CubeSource cubes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, ".memos-export-", ".zip");
        try {
            MessageDigest sha = sha256();
            long[] count = {0};
            long[] bytes = {0};
            long versions;
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
                zip.putNextEntry(new ZipEntry(CUBES));
                OutputStream entry = new java.security.DigestOutputStream(zip, sha);
                versions = cubes.forEach(cube -> {
                    try {
                        byte[] line = (MemosClient.json().writeValueAsString(cube) + "\n").getBytes(StandardCharsets.UTF_8);
                        entry.write(line);
                        bytes[0] += line.length;
                        count[0]++;
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                zip.closeEntry();
                manifest.put("cubes", count[0]).put("versions", versions).put("blobs", 0);
                manifest.putObject("files").putObject(CUBES).put("sha256", HexFormat.of().formatHex(sha.digest()))
                        .put("bytes", bytes[0]);
                zip.putNextEntry(new ZipEntry(MANIFEST));
                zip.write(MemosClient.json().writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
                zip.closeEntry();
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return manifest;
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** An opened archive whose manifest and checksums were verified. */
    record Opened(ZipFile zip, JsonNode manifest) implements AutoCloseable {
        /** Every cube line, in order. */
        void forEachCube(Consumer<JsonNode> sink) throws IOException {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(zip.getInputStream(zip.getEntry(CUBES)),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (!line.isBlank()) {
                        sink.accept(MemosClient.json().readTree(line));
                    }
                }
            }
        }

        @Override
        public void close() throws IOException {
            zip.close();
        }
    }

    /** Opens and verifies an archive: its format, and every file against the manifest's checksum and size. */
    static Opened open(Path file) {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (IOException e) {
            throw corrupt(file, "not a zip archive (" + e.getMessage() + ")");
        }
        try {
            ZipEntry manifestEntry = zip.getEntry(MANIFEST);
            if (manifestEntry == null) {
                throw corrupt(file, "it has no " + MANIFEST);
            }
            JsonNode manifest = MemosClient.json().readTree(zip.getInputStream(manifestEntry));
            if (!FORMAT.equals(manifest.path("format").asText())) {
                throw corrupt(file, "its manifest does not name the format " + FORMAT);
            }
            int version = manifest.path("formatVersion").asInt(-1);
            if (version != FORMAT_VERSION) {
                throw corrupt(file, "format version " + version + " is not supported (this CLI reads " + FORMAT_VERSION + ")");
            }
            var files = manifest.path("files").fields();
            boolean cubesListed = false;
            while (files.hasNext()) {
                var f = files.next();
                cubesListed |= f.getKey().equals(CUBES);
                ZipEntry entry = zip.getEntry(f.getKey());
                if (entry == null) {
                    throw corrupt(file, "the manifest lists " + f.getKey() + " but the archive lacks it");
                }
                MessageDigest sha = sha256();
                long size;
                try (InputStream in = new DigestInputStream(zip.getInputStream(entry), sha)) {
                    size = in.transferTo(OutputStream.nullOutputStream());
                }
                String actual = HexFormat.of().formatHex(sha.digest());
                if (!actual.equals(f.getValue().path("sha256").asText()) || size != f.getValue().path("bytes").asLong(-1)) {
                    throw corrupt(file, f.getKey() + " does not match its checksum (damaged or edited): expected sha256 "
                            + f.getValue().path("sha256").asText() + ", found " + actual);
                }
            }
            if (!cubesListed) {
                throw corrupt(file, "its manifest lists no " + CUBES);
            }
            return new Opened(zip, manifest);
        } catch (IOException e) {
            closeQuietly(zip);
            throw corrupt(file, e.getMessage());
        } catch (RuntimeException e) {
            closeQuietly(zip);
            throw e;
        }
    }

    private static void closeQuietly(ZipFile zip) {
        try {
            zip.close();
        } catch (IOException ignored) {
            // already failing with a clearer message
        }
    }

    private static CliException corrupt(Path file, String why) {
        return new CliException(ExitCodes.USAGE, file + " is not a usable memos archive: " + why);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JVM has SHA-256", impossible);
        }
    }
}
