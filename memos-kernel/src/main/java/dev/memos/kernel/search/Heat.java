package dev.memos.kernel.search;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Heat: an access count that halves every half-life without access — a forgetting curve. Where recall
 * strengthens memory (MemoryBank's idea), each recall slows the forgetting: a cube recalled n times decays with
 * the half-life times its {@link #strength} 1 + log2(1 + n), and counts as idle (for demotion) only
 * {@code (strength − 1) × halfLife} after its last access. A cube recalled once forgets twice as slowly, seven
 * times four times; the logarithm keeps a cube searched all day from becoming unforgettable.
 *
 * @param halfLife how fast an unrecalled cube's heat halves
 * @param recallStrengthens whether recalls slow the decay and postpone idleness
 */
public record Heat(Duration halfLife, boolean recallStrengthens) {
    public Heat {
        Objects.requireNonNull(halfLife, "halfLife");
        if (halfLife.isNegative() || halfLife.isZero()) {
            throw new IllegalArgumentException("halfLife must be positive, was " + halfLife);
        }
    }

    /** How many times slower a cube recalled {@code recalls} times forgets than one never recalled. */
    public double strength(long recalls) {
        return recallStrengthens ? 1 + Math.log1p(Math.max(0, recalls)) / Math.log(2) : 1;
    }

    /**
     * The heat at {@code now} of a cube that had {@code heat} at {@code last} after {@code recalls} recalls, plus
     * {@code hits} new accesses.
     */
    public double after(double heat, Instant last, long recalls, long hits, Instant now) {
        return decayed(heat, last, recalls, now) + hits;
    }

    /** The heat at {@code now} of a cube that had {@code heat} at its last access {@code last}, after {@code recalls}. */
    public double decayed(double heat, Instant last, long recalls, Instant now) {
        if (last == null || heat == 0) {
            return heat;
        }
        double elapsed = Math.max(0, Duration.between(last, now).toMillis());
        return heat * Math.pow(0.5, elapsed / (halfLife.toMillis() * strength(recalls)));
    }

    /** When a cube last accessed at {@code last}, recalled {@code recalls} times in all, starts to count as idle. */
    public Instant idleFrom(Instant last, long recalls) {
        return last.plusMillis(Math.round((strength(recalls) - 1) * halfLife.toMillis()));
    }
}
