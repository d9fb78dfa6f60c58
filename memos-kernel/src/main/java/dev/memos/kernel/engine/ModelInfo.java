package dev.memos.kernel.engine;

import dev.memos.kernel.model.Check;

import java.util.Objects;

/**
 * The identity of the loaded model: what a KV snapshot or an adapter must have been made for.
 *
 * @param sha256 SHA-256 of the model file (64 lower-case hex digits)
 * @param name the model's own name (GGUF {@code general.name}), or the file name
 * @param architecture e.g. {@code llama}, {@code qwen2}
 * @param trainedContext the context length the model was trained for
 * @param embeddingLength width of the hidden state
 * @param layers transformer blocks
 * @param vocabulary tokens in the vocabulary
 */
public record ModelInfo(String sha256, String name, String architecture, int trainedContext, int embeddingLength,
                        int layers, int vocabulary) {
    public ModelInfo {
        Check.required("sha256", sha256);
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(architecture, "architecture");
    }

    /** A short label naming the model in blob headers and answers: name and the first 12 hex digits. */
    public String label() {
        return name + "@" + sha256.substring(0, 12);
    }
}
