package dev.memos.kernel.model;

/** Where a cube stands in its life. The legal moves between states are listed in {@link Lifecycle}. */
public enum LifecycleState {
    GENERATED,
    ACTIVATED,
    ARCHIVED,
    /** Fused into another cube; read-only. */
    MERGED,
    /** Pinned: immutable and never expires. */
    FROZEN,
    /** Tombstone: the payload is purged from every version. */
    DELETED,
    /**
     * Kept but out of recall: written by an untrusted source or actor, or addressing the model; a space
     * administrator releases it (to GENERATED) or it is deleted (docs/privacy.md).
     */
    QUARANTINED;

    /** A live cube can still change (payload, validity) and be frozen. */
    public boolean isLive() {
        return this == GENERATED || this == ACTIVATED || this == ARCHIVED;
    }
}
