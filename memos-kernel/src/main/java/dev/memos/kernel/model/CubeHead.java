package dev.memos.kernel.model;

import java.time.Instant;
import java.util.Objects;

/**
 * The part of a cube's current state that a search filters and ranks by: its identity, lifecycle, the live
 * version's validity, kind, recording time and priority, and its usage. A store reads it from one row per cube;
 * the payload, provenance and labels of the live version are read only for the hits a search returns.
 *
 * @param kind the kind of a text payload (null for other payloads)
 */
public record CubeHead(CubeId id, int version, String space, Tier tier, LifecycleState state, String kind,
                       Instant validFrom, Instant validTo, Instant recordedAt, int priority, Usage usage) {
    public CubeHead {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(recordedAt, "recordedAt");
        Objects.requireNonNull(usage, "usage");
    }

    public static CubeHead of(MemCube cube) {
        return new CubeHead(cube.id(), cube.version(), cube.space(), cube.tier(), cube.state(),
                cube.payload() instanceof TextPayload text ? text.kind() : null, cube.time().validFrom(),
                cube.time().validTo(), cube.time().recordedAt(), cube.governance().priority(), cube.usage());
    }

    /** The time the memory is about: when its fact started to hold, or else when memos learned it. */
    public Instant eventAt() {
        return validFrom != null ? validFrom : recordedAt;
    }

    /** Whether the fact holds at {@code instant} in the world. */
    public boolean validAt(Instant instant) {
        return Temporal.validAt(validFrom, validTo, instant);
    }
}
