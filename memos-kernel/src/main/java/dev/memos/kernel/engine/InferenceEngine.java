package dev.memos.kernel.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * An inference engine with one loaded model: the machine under the activation tier (KV snapshots of memory
 * prefixes) and the parameter tier (LoRA adapters applied per request with scales).
 * <p>
 * Implementations are thread-safe; calls may be serialised inside (a model context is a scarce resource).
 * Every method throws {@link dev.memos.kernel.error.InvalidException} for a caller's mistake (a prompt beyond the
 * context, an unknown adapter, an incompatible snapshot) and {@link dev.memos.kernel.error.UnavailableException}
 * when the engine itself fails.
 */
public interface InferenceEngine extends AutoCloseable {

    /** The loaded model's identity. */
    ModelInfo model();

    /** The context settings every snapshot of this engine is made in. */
    ContextSettings context();

    /** A short description of the engine for operators, e.g. {@code llama.cpp v0.5.0 (embedded)}. */
    String description();

    /** Token ids of {@code text}; {@code beginning} adds the model's begin-of-sequence token first. */
    int[] tokenize(String text, boolean beginning);

    /** The text of token ids (special tokens are not rendered). */
    String detokenize(int[] tokens);

    /**
     * Validates a LoRA adapter file against the loaded model and keeps it loaded under its SHA-256, so requests
     * can apply it by that id. Loading an adapter that is loaded already returns its info.
     *
     * @throws dev.memos.kernel.error.InvalidException naming what does not fit (not an adapter, another
     *         architecture, tensors the model lacks, shapes that differ)
     */
    AdapterInfo loadAdapter(String sha256, Path file);

    /** Whether an adapter with that SHA-256 is loaded. */
    boolean hasAdapter(String sha256);

    /** Evaluates {@code tokens} from an empty context with the adapters applied and snapshots the KV state. */
    Snapshot prefill(int[] tokens, List<AdapterUse> adapters);

    /** The next-token logits after the prompt (the prefix restored, only the tokens after it evaluated). */
    Evaluation evaluate(Prompt prompt);

    /**
     * Generates after the prompt, handing each piece of text to {@code onText} as it is decided (a stop string
     * held back until it is clear it is none).
     *
     * @param grammar a GBNF grammar the output must follow (root rule {@code root}), or null
     */
    Generation generate(Prompt prompt, Sampling sampling, String grammar, Consumer<String> onText);

    /** A prefill's snapshot and what computing it took. */
    record Snapshot(KvSnapshot kv, Timings timings) {
    }

    @Override
    void close();
}
