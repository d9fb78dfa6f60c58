package dev.memos.api;

import dev.memos.api.config.EmbeddingSettings;
import dev.memos.cubes.embed.onnx.ModelPrefetch;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The service's entry point: starts reading the local embedding model on a second thread, then boots Quarkus,
 * whose start runs on one thread (class loading, database migration, ORM). Alone the model takes ~1.2 s to
 * load; beside the boot, on two shared cores, start to ready was ~0.3 s shorter (docs/benchmarks.md, "Start
 * with the JDK's AOT cache").
 *
 * <p>The configuration is not read yet, so the model is the one named by {@code -Dmemos.embedding.model} or
 * {@code MEMOS_EMBEDDING_MODEL}, else the default; nothing is read ahead when {@code memos.embedding.kind} is
 * set to {@code openai} there. A configuration file that names another model or kind makes the service drop
 * what was read ahead ({@link RetrievalProducer}).
 */
@QuarkusMain
public final class MemosMain {
    private MemosMain() {
    }

    public static void main(String... args) {
        if (!"openai".equals(setting("memos.embedding.kind", "MEMOS_EMBEDDING_KIND"))) {
            String model = setting("memos.embedding.model", "MEMOS_EMBEDDING_MODEL");
            ModelPrefetch.start(model != null ? model : EmbeddingSettings.DEFAULT_MODEL);
        }
        Quarkus.run(args);
    }

    private static String setting(String property, String environment) {
        String value = System.getProperty(property);
        return value != null ? value : System.getenv(environment);
    }
}
