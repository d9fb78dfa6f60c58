package dev.memos.cubes.engine.llama;

import dev.memos.kernel.error.NotConfiguredException;
import dev.memos.kernel.error.UnavailableException;
import dev.memos.kernel.model.Sha256;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where the llama.cpp libraries come from: a directory the operator names ({@code memos.engine.library-dir}),
 * or the CPU build the memos jar carries (fetched at build time by {@code scripts/llama-natives.sh}), unpacked
 * once into a directory of its own and checked against its manifest's SHA-256s.
 */
public final class LlamaNatives {
    static final String RESOURCE_DIR = "dev/memos/cubes/engine/llama/linux-x64/";

    private LlamaNatives() {
    }

    /** Whether this build carries the prebuilt libraries. */
    public static boolean bundled() {
        return manifest().isPresent();
    }

    /**
     * The directory to load the libraries from: {@code libraryDir} when set, else the bundled build unpacked
     * under {@code unpackRoot}.
     *
     * @throws NotConfiguredException when neither exists
     */
    public static Path directory(Optional<Path> libraryDir, Path unpackRoot) {
        if (libraryDir.isPresent()) {
            Llama.libraries(libraryDir.get()); // names what is missing there
            return libraryDir.get();
        }
        String manifest = manifest().orElseThrow(() -> new NotConfiguredException(
                "this memos build carries no llama.cpp libraries (npm was missing when it was built); set "
                        + "memos.engine.library-dir to a llama.cpp build's lib directory", "memos.engine.library-dir"));
        Map<String, String> files = parse(manifest);
        Path dir = unpackRoot.resolve("llama-" + Sha256.of(manifest.getBytes(StandardCharsets.UTF_8)).substring(0, 16));
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path target = dir.resolve(file.getKey());
                if (Files.isRegularFile(target) && file.getValue().equals(Sha256.of(target))) {
                    continue;
                }
                unpack(file.getKey(), file.getValue(), target);
            }
        } catch (IOException e) {
            throw new UnavailableException("cannot unpack the llama.cpp libraries into " + dir + ": " + e.getMessage(), e);
        }
        return dir;
    }

    private static void unpack(String name, String expectedSha256, Path target) throws IOException {
        Path partial = target.resolveSibling(name + ".partial");
        try (InputStream in = resource(name)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            Files.copy(new DigestInputStream(in, digest), partial, StandardCopyOption.REPLACE_EXISTING);
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(expectedSha256)) {
                Files.delete(partial);
                throw new UnavailableException("the bundled " + name + " has SHA-256 " + actual + ", its manifest says "
                        + expectedSha256 + ": the memos jar is damaged", null);
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try {
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = LlamaNatives.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + name);
        if (in == null) {
            throw new IOException("the memos jar lists " + name + " in its llama.cpp manifest but lacks the file");
        }
        return in;
    }

    private static Optional<String> manifest() {
        try (InputStream in = LlamaNatives.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + "MANIFEST")) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> parse(String manifest) {
        Map<String, String> files = new LinkedHashMap<>();
        for (String line : manifest.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.trim().split(" ");
            if (parts.length != 2 || parts[0].contains("/") || !parts[1].matches("[0-9a-f]{64}")) {
                throw new UnavailableException("the bundled llama.cpp manifest has a bad line: " + line, null);
            }
            files.put(parts[0], parts[1]);
        }
        return files;
    }
}
