package dev.memos.kernel.engine;

import java.util.List;

/**
 * A LoRA adapter as validated against the loaded model.
 *
 * @param sha256 SHA-256 of the adapter file
 * @param architecture the architecture it was trained for
 * @param rank the low-rank dimension
 * @param alpha the scaling numerator (the update is scaled by alpha / rank)
 * @param targets the base weights it adapts, e.g. {@code blk.0.attn_q.weight}
 * @param bytes file size
 */
public record AdapterInfo(String sha256, String architecture, int rank, float alpha, List<String> targets, long bytes) {
    public AdapterInfo {
        targets = List.copyOf(targets);
    }
}
