package dev.memos.cubes.embed.onnx;

import ai.onnxruntime.OrtEnvironment;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * ONNX Runtime's environment, its native libraries loaded without leaving them on disk. ONNX Runtime's Java
 * binding extracts its two libraries (~28 MiB) into a new {@code onnxruntime-java*} directory under
 * {@code java.io.tmpdir} on every start and never deletes them (it asks for the directory's deletion while the files
 * are still in it), so each start of a node left 28 MiB behind. Here memos extracts them itself into a directory
 * of its own, points ONNX Runtime at it ({@code onnxruntime.native.path}) and deletes the files as soon as they are
 * loaded (a loaded library needs no file). When {@code onnxruntime.native.path} is already set, or the platform's
 * libraries are not on the class path, ONNX Runtime loads them its own way.
 */
final class OnnxNatives {
    private static final Logger LOG = Logger.getLogger(OnnxNatives.class);
    static final String NATIVE_PATH = "onnxruntime.native.path";
    private static final List<String> LIBRARIES = List.of("onnxruntime", "onnxruntime4j_jni");
    private static boolean loaded;

    private OnnxNatives() {
    }

    /** The environment, ONNX Runtime's libraries loaded first if they were not. */
    static synchronized OrtEnvironment environment() {
        if (!loaded) {
            loaded = true;
            String platform = platform();
            if (System.getProperty(NATIVE_PATH) == null && platform != null) {
                load(platform);
            }
        }
        return OrtEnvironment.getEnvironment();
    }

    private static void load(String platform) {
        Path dir;
        try {
            dir = Files.createTempDirectory("memos-onnxruntime");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a directory for ONNX Runtime's native libraries", e);
        }
        List<Path> written = new ArrayList<>();
        try {
            for (String library : LIBRARIES) {
                String name = System.mapLibraryName(library);
                try (InputStream in = OrtEnvironment.class.getResourceAsStream(
                        "/ai/onnxruntime/native/" + platform + "/" + name)) {
                    if (in == null) {
                        LOG.debugf("no %s for %s on the class path; ONNX Runtime loads its libraries itself", name, platform);
                        return;
                    }
                    Path file = dir.resolve(name);
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                    written.add(file);
                }
            }
            System.setProperty(NATIVE_PATH, dir.toString());
            try {
                OrtEnvironment.getEnvironment();
            } finally {
                System.clearProperty(NATIVE_PATH);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract ONNX Runtime's native libraries into " + dir, e);
        } finally {
            for (Path file : written) {
                deleteQuietly(file);
            }
            deleteQuietly(dir);
        }
    }

    /** ONNX Runtime's name for this platform's directory of libraries, or null for one memos does not know. */
    private static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String osName = os.contains("linux") ? "linux" : os.contains("mac") || os.contains("darwin") ? "osx" : null;
        String archName = switch (arch) {
            case "amd64", "x86_64" -> "x64";
            case "aarch64", "arm64" -> "aarch64";
            default -> null;
        };
        return osName == null || archName == null ? null : osName + "-" + archName;
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.debugf(e, "cannot delete %s", path);
        }
    }
}
