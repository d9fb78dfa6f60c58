package dev.memos.kernel.model;

import java.nio.charset.StandardCharsets;

/**
 * What a deleted cube keeps: its id, space, tier, state, version numbers, times and the actors and operations
 * of its versions (what lineage and audit need), and nothing about its content: no text, kind, tags, blob,
 * source reference, session, sources, sensitivity labels or purpose. Its idempotency key is kept only as
 * {@link #idempotencyKey a hash}.
 */
public final class Tombstone {
    /** How a tombstone's hashed idempotency key starts. */
    public static final String ERASED = "erased:";

    private Tombstone() {
    }

    /** A version as its tombstone keeps it (in state DELETED). */
    public static MemCube of(MemCube version) {
        Provenance p = version.provenance();
        Governance g = version.governance();
        return version.toBuilder().state(LifecycleState.DELETED).payload(Payload.Purged.INSTANCE)
                .provenance(new Provenance(p.source(), null, p.actor(), null, p.operation(), java.util.List.of()))
                .governance(new Governance(g.owner(), g.expiresAt(), g.priority(), java.util.Set.of(), null))
                .build();
    }

    /**
     * The form in which a tombstone keeps its idempotency key: a hash, so that a replay of the key is still
     * recognised (and refused) while the key itself, which a client may have built from the content, is gone.
     * Applying it twice changes nothing.
     */
    public static String idempotencyKey(String space, String key) {
        return key.startsWith(ERASED) ? key : ERASED + Sha256.of((space + "\n" + key).getBytes(StandardCharsets.UTF_8));
    }
}
