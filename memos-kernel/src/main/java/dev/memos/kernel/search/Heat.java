package dev.memos.kernel.search;

import java.time.Duration;
import java.time.Instant;

/** Heat: an access count that halves every half-life without access. */
public final class Heat {
    private Heat() {
    }

    /** The heat at {@code now} of a cube that had {@code heat} at {@code last}, plus {@code hits} new accesses. */
    public static double after(double heat, Instant last, long hits, Instant now, Duration halfLife) {
        return decayed(heat, last, now, halfLife) + hits;
    }

    public static double decayed(double heat, Instant last, Instant now, Duration halfLife) {
        if (last == null || heat == 0) {
            return heat;
        }
        double elapsed = Math.max(0, Duration.between(last, now).toMillis());
        return heat * Math.pow(0.5, elapsed / halfLife.toMillis());
    }
}
