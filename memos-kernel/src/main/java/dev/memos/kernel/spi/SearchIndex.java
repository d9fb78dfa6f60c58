package dev.memos.kernel.spi;

import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.search.IndexCandidates;
import dev.memos.kernel.search.IndexQuery;

import java.util.Map;

/**
 * A derived, rebuildable index over the live version of each searchable cube, fed from committed
 * events. Tenancy and freshness are re-checked against the store after every search, so a stale
 * index can only make results incomplete, never leak.
 */
public interface SearchIndex {

    /** The embedding model the index's vectors come from, and their dimension. */
    String model();

    int dimension();

    /** Whether the index started without entries (new, or emptied after a model change): it needs a rebuild. */
    default boolean startedEmpty() {
        return false;
    }

    /**
     * How long since the last search on this node began: background work on the index (embedding context windows)
     * waits for a pause in searches. An index that does not track it answers "long ago".
     */
    default java.time.Duration sinceLastSearch() {
        return java.time.Duration.ofDays(1);
    }

    /** Adds or replaces the cube's entry; {@code vector} may be null for a cube without text. */
    default void upsert(MemCube cube, float[] vector) {
        upsert(cube, vector, null);
    }

    /**
     * Adds or replaces the cube's entry with its context window ({@link dev.memos.kernel.search.ContextWindow};
     * null: none), searched as the context lists of {@link IndexCandidates}.
     */
    void upsert(MemCube cube, float[] vector, dev.memos.kernel.search.ContextWindow.Window context);

    void remove(CubeId id);

    /**
     * Cubes whose window vector is {@linkplain dev.memos.kernel.search.ContextWindow.Window#pending() pending} (a
     * stand-in for the embedding of the window's text), at most {@code limit}, including changes not yet committed.
     */
    java.util.List<CubeId> pendingWindows(int limit);

    /** How many entries of the space (null: of every space) have a pending window vector. */
    long countPendingWindows(String space);

    /**
     * The space and session id a cube's entry was indexed with (its window belongs to that session), or empty
     * when it is not indexed or had no session.
     */
    java.util.Optional<Map.Entry<String, String>> session(CubeId id);

    /**
     * {@link #session} of each of these cubes, those indexed with a session only. An index across the network
     * answers it in one request.
     */
    default Map<CubeId, Map.Entry<String, String>> sessions(java.util.Collection<CubeId> ids) {
        Map<CubeId, Map.Entry<String, String>> out = new java.util.HashMap<>();
        ids.forEach(id -> session(id).ifPresent(s -> out.put(id, s)));
        return out;
    }

    /** Removes the entries of every cube of a space (the space was deleted); like {@link #remove}, until a commit. */
    void removeSpace(String space);

    /** Whether a searchable entry for this cube is in the index. */
    boolean contains(CubeId id);

    /** How many searchable entries the index holds for cubes of this space. */
    long count(String space);

    /**
     * Rewrites every part of the index that still holds a removed entry of these cubes, so that their terms and
     * vectors leave the files on disk, and commits. Returns how many of the cubes some part of the committed
     * index still holds, live or removed: 0 when nothing of them is left.
     */
    long expungeRemoved(java.util.Collection<CubeId> cubes);

    /** {@link #expungeRemoved(java.util.Collection)} for every cube of a deleted space: 0 or 1. */
    long expungeRemovedSpace(String space);

    /** Makes every change so far durable and visible to searches. */
    void commit();

    IndexCandidates search(IndexQuery query);

    /**
     * The vector indexed for a cube (as committed so far), or empty when the cube is not indexed or has none.
     * Scores of vector candidates are {@code (1 + cosine) / 2} of unit vectors.
     */
    java.util.Optional<float[]> vector(CubeId id);

    /** Every indexed cube with the version indexed, for consistency checks. */
    Map<CubeId, Integer> indexedVersions();

    /** Drops every entry (before a rebuild). */
    void clear();
}
