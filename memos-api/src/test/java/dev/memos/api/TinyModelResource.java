package dev.memos.api;

import dev.memos.testkit.gguf.RandomModels;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Generates a tiny random-weight model before the test service starts and configures it as the engine's model
 * (no real weights are reachable from a build machine). Applies to every {@code @QuarkusTest}: the model loads in
 * milliseconds, and one configuration means one service for the whole suite.
 */
public class TinyModelResource implements QuarkusTestResourceLifecycleManager {
    static final Path DIR = Path.of("target", "test-data", "engine");

    @Override
    public Map<String, String> start() {
        try {
            Files.createDirectories(DIR);
            Path model = RandomModels.model(DIR.resolve("tiny.gguf"), RandomModels.Shape.TINY);
            return Map.of("memos.engine.model", model.toAbsolutePath().toString(), "memos.engine.context-size", "2048",
                    "memos.engine.threads", "2");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A LoRA adapter for the tiny model (or, with another shape, for another base model). */
    static byte[] adapter(RandomModels.Shape shape, long seed) {
        try {
            Path file = RandomModels.lora(Files.createTempFile(DIR, "lora", ".gguf"), shape, 4, 8f, seed);
            byte[] bytes = Files.readAllBytes(file);
            Files.delete(file);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
    }
}
