package dev.memos.kernel.model;

import dev.memos.kernel.error.InvalidException;

import java.time.Instant;
import java.util.Objects;

/**
 * Bi-temporal stamps of one cube version.
 *
 * @param validFrom when the fact starts to hold in the world (null: always has)
 * @param validTo when it stops holding (null: still holds)
 * @param recordedAt when memos learned this version
 * @param supersededAt when memos retired this version (a newer version, or an invalidation); null while current
 */
public record Temporal(Instant validFrom, Instant validTo, Instant recordedAt, Instant supersededAt) {
    public Temporal {
        Objects.requireNonNull(recordedAt, "recordedAt");
        if (validFrom != null && validTo != null && !validTo.isAfter(validFrom)) {
            throw new InvalidException("validTo", "must be after validFrom (" + validFrom + "), was " + validTo);
        }
    }

    /** Whether the fact holds at {@code instant} in the world. */
    public boolean validAt(Instant instant) {
        return validAt(validFrom, validTo, instant);
    }

    /** Whether a fact valid from {@code validFrom} (inclusive) to {@code validTo} (exclusive; null: open) holds. */
    static boolean validAt(Instant validFrom, Instant validTo, Instant instant) {
        return (validFrom == null || !validFrom.isAfter(instant)) && (validTo == null || validTo.isAfter(instant));
    }

    /** Whether memos held this version as current at {@code instant} (recorded time). */
    public boolean currentAt(Instant instant) {
        return !recordedAt.isAfter(instant) && (supersededAt == null || supersededAt.isAfter(instant));
    }

    public Temporal withValidTo(Instant newValidTo) {
        return new Temporal(validFrom, newValidTo, recordedAt, supersededAt);
    }

    public Temporal withSupersededAt(Instant at) {
        return new Temporal(validFrom, validTo, recordedAt, at);
    }
}
