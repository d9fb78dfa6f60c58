package dev.memos.kernel.model;

import java.time.Instant;

/**
 * How a cube has been used. Written asynchronously in batches, never on a read's critical path.
 *
 * @param accessCount reads and retrieval hits so far
 * @param lastAccessedAt the latest of them (null: never)
 * @param heat an exponentially decayed access score, as of {@code lastAccessedAt}
 */
public record Usage(long accessCount, Instant lastAccessedAt, double heat) {
    public static final Usage NONE = new Usage(0, null, 0.0);

    public Usage {
        if (accessCount < 0) {
            throw new IllegalArgumentException("accessCount must not be negative, was " + accessCount);
        }
        if (heat < 0 || Double.isNaN(heat)) {
            throw new IllegalArgumentException("heat must be a non-negative number, was " + heat);
        }
    }
}
