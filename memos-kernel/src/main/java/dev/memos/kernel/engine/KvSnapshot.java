package dev.memos.kernel.engine;

import dev.memos.kernel.error.InvalidException;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The KV-cache state of a prefix for one model, adapter set and context layout: activation memory.
 * Restoring it lets the engine skip the prefix's prefill; restoring it anywhere else would be silent garbage,
 * so {@link #incompatibility} names why it must not be.
 *
 * @param state the engine's serialised sequence state
 * @param tokens the prefix's token ids, in order (their state is what {@code state} holds)
 * @param modelSha256 the model it was computed with
 * @param adapters the adapters (and scales) applied while it was computed, sorted
 * @param context the context settings it was computed in
 */
public record KvSnapshot(byte[] state, int[] tokens, String modelSha256, List<AdapterUse> adapters,
                         ContextSettings context) {
    public KvSnapshot {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(modelSha256, "modelSha256");
        Objects.requireNonNull(context, "context");
        if (tokens.length == 0) {
            throw new InvalidException("tokens", "a snapshot holds at least one token");
        }
        adapters = adapters == null ? List.of() : adapters.stream().sorted().toList();
    }

    /** Why this snapshot must not be restored into that engine with those adapters; empty when it may. */
    public Optional<String> incompatibility(ModelInfo model, ContextSettings settings, List<AdapterUse> with) {
        if (!modelSha256.equals(model.sha256())) {
            return Optional.of("it was computed with model " + modelSha256.substring(0, 12) + "…, the engine runs "
                    + model.label());
        }
        if (!context.equals(settings)) {
            return Optional.of("it was computed with context " + context + ", the engine runs " + settings);
        }
        List<AdapterUse> sorted = with == null ? List.of() : with.stream().sorted().toList();
        if (!adapters.equals(sorted)) {
            return Optional.of("it was computed with adapters " + adapters + ", this request applies " + sorted);
        }
        return Optional.empty();
    }
}
