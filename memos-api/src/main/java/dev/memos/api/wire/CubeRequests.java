package dev.memos.api.wire;

import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.Source;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Request bodies of the cube endpoints. Unknown fields are rejected; absent fields are null. */
public final class CubeRequests {
    private CubeRequests() {
    }

    /**
     * {@code POST /v1/spaces/{space}/cubes}: a new plaintext cube; {@code derivedFrom} names cubes (readable
     * by the caller) it was made from, recorded as its lineage.
     */
    public record Create(String text, String kind, List<String> tags, Source source, String sourceRef,
                         String sessionId, Instant validFrom, Instant validTo, Instant expiresAt, Integer priority,
                         Set<String> sensitivity, String purpose, String idempotencyKey, List<String> derivedFrom,
                         String subject) {
    }

    /** {@code PATCH /v1/cubes/{id}}: fields to change; the rest stay. {@code clearExpiresAt} removes the TTL. */
    public record Patch(String text, String kind, List<String> tags, Instant validFrom, Instant validTo,
                        Instant expiresAt, Boolean clearExpiresAt, Integer priority, Set<String> sensitivity,
                        String purpose, String subject) {
    }

    /** {@code POST /v1/spaces/{space}/import}: one cube with every version, as {@code GET …/export} lists it. */
    public record Import(List<CubeView> versions) {
    }

    /** {@code POST /v1/cubes/{id}/rollback}: the version whose payload becomes the new live version. */
    public record Rollback(Integer version) {
    }

    /** {@code POST /v1/cubes/{id}/transitions}. */
    /** Releasing a quarantined cube: why (optional). */
    public record Release(String reason) {
    }

    public record Transition(LifecycleState to, String reason) {
    }

    /** {@code POST /v1/cubes/{id}/invalidate}: the fact stopped holding at {@code validTo} (default: now). */
    public record Invalidate(Instant validTo, String reason) {
    }
}
