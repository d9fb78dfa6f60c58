package dev.memos.kernel.spi;

import dev.memos.kernel.model.CubeId;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Cubes that a consumer of the event bus could not fully process because a back end refused their input (not a
 * transient failure, which is retried): each is set aside with its reason, so that the rest flows on. The search
 * indexer sets a cube aside when the embedder refuses its text; the cube is then indexed for keywords only, and
 * {@code POST /v1/admin/index/set-aside/retry} indexes it again once the cause is fixed. Reasons never hold content.
 */
public interface SetAside {
    /** One cube set aside. {@code attempts} counts the times it failed; the times are the first and the last. */
    record Entry(CubeId cube, String space, String reason, int attempts, Instant firstAt, Instant lastAt) {
    }

    /** Records (or counts again) a failure of this cube. */
    void record(CubeId cube, String space, String reason, Instant at);

    /** Forgets these cubes: indexed after all, or gone. */
    void clear(Collection<CubeId> cubes);

    /** Forgets every cube of a deleted space. */
    void clearSpace(String space);

    /** The cubes set aside, oldest failure first. */
    List<Entry> list(int limit);

    long count();
}
