package dev.memos.kernel.spi;

import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.MemCube;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** The scheduler's candidate queries: cubes a lifecycle policy may act on. No grant applies. */
public interface PolicyQueries {

    /** Cubes in one of {@code states} whose {@code expiresAt} is at or before {@code now}, soonest expiry first. */
    List<MemCube> findExpired(Set<LifecycleState> states, Instant now, int limit);

    /**
     * Cubes in {@code state} idle since before {@code before}: idle from then as their last usage record set it
     * (recalls postpone it), or never accessed and recorded then. Longest idle first.
     */
    List<MemCube> findIdle(LifecycleState state, Instant before, int limit);

    /**
     * Groups of two or more cubes in one of {@code states} whose live text is identical within a space,
     * each group in id (creation) order; at most {@code limit} groups.
     */
    List<List<CubeId>> findDuplicateGroups(Set<LifecycleState> states, int limit);

    /** Spaces holding live plaintext cubes that were accessed (heat above zero), hottest first (memos' own decisions). */
    List<String> findHotSpaces(int limit);

    /** A space's live plaintext cubes that were accessed (heat above zero), hottest first (memos' own decisions). */
    List<MemCube> findHottest(String space, int limit);
}
