package dev.memos.kernel.engine;

import java.util.List;
import java.util.Objects;

/**
 * What to evaluate: an optional restored prefix, the tokens after it, and the adapters to apply.
 *
 * @param prefix a snapshot to restore first, or null to start from an empty context
 * @param tokens the tokens after the prefix (the whole prompt when there is none)
 * @param adapters loaded adapters to apply, with scales (empty: the base model)
 */
public record Prompt(KvSnapshot prefix, int[] tokens, List<AdapterUse> adapters) {
    public Prompt {
        Objects.requireNonNull(tokens, "tokens");
        adapters = adapters == null ? List.of() : List.copyOf(adapters);
    }

    public int length() {
        return (prefix == null ? 0 : prefix.tokens().length) + tokens.length;
    }
}
