package dev.memos.kernel.engine;

import java.util.List;
import java.util.Objects;

/**
 * What to evaluate: an optional restored prefix, the tokens after it, and the adapters to apply.
 *
 * @param prefix a snapshot to restore first, or null to start from an empty context
 * @param tokens the tokens after the prefix (the whole prompt when there is none)
 * @param adapters loaded adapters to apply, with scales (empty: the base model)
 * @param block without a prefix: how many leading tokens form the memory block, evaluated on their own before
 *        the rest, exactly as a prefill that is snapshotted would be; so a cold prompt computes the same numbers a
 *        restored one does (one batch over block and question sums in another order). 0: no block.
 */
public record Prompt(KvSnapshot prefix, int[] tokens, List<AdapterUse> adapters, int block) {
    public Prompt {
        Objects.requireNonNull(tokens, "tokens");
        adapters = adapters == null ? List.of() : List.copyOf(adapters);
        if (block < 0 || block > tokens.length || (block > 0 && prefix != null)) {
            throw new IllegalArgumentException("block must be 0 … " + tokens.length + " and 0 after a restored prefix");
        }
    }

    public Prompt(KvSnapshot prefix, int[] tokens, List<AdapterUse> adapters) {
        this(prefix, tokens, adapters, 0);
    }

    public int length() {
        return (prefix == null ? 0 : prefix.tokens().length) + tokens.length;
    }
}
