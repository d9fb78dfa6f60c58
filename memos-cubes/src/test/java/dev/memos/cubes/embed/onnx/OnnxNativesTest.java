package dev.memos.cubes.embed.onnx;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ONNX Runtime's native libraries leave nothing behind in the temporary directory, even after a kill -9. */
class OnnxNativesTest {

    /** Loads the model, says so, and waits to be killed. */
    public static final class Load {
        public static void main(String[] args) throws Exception {
            try (OnnxEmbedder embedder = OnnxEmbedder.load(OnnxEmbedder.BGE_SMALL, "", 1)) {
                System.out.println("loaded " + embedder.embedQuery("a loaded model embeds").length);
                System.out.flush();
                Thread.sleep(60_000);
            }
        }
    }

    @Test
    void a_node_killed_after_loading_the_model_leaves_no_library_in_the_temporary_directory(@TempDir Path tmp)
            throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-Djava.io.tmpdir=" + tmp, Load.class.getName()).redirectErrorStream(true);
        // not -cp: ONNX Runtime 1.29 crashes (SIGSEGV) at load when the command line is longer than ~4,000 characters
        builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        Process node = builder.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = out.readLine()) != null && !line.startsWith("loaded ")) {
                seen.append(line).append('\n');
            }
            if (line == null && node.waitFor(30, TimeUnit.SECONDS)) {
                seen.append("exit status ").append(node.exitValue());
            }
            assertEquals("loaded 384", line, "the model loaded and embedded: " + seen);
        } finally {
            node.destroyForcibly();
            node.waitFor(30, TimeUnit.SECONDS);
        }
        try (Stream<Path> left = Files.walk(tmp)) {
            List<Path> libraries = left.filter(p -> p.getFileName().toString().contains(".so")).toList();
            assertTrue(libraries.isEmpty(), "native libraries left behind: " + libraries);
        }
    }
}
