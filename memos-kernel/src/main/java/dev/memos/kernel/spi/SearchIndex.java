package dev.memos.kernel.spi;

import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.MemCube;

import java.util.Collection;
import java.util.List;

/**
 * A derived, rebuildable index over the live version of each cube, fed from committed events.
 * Implemented by the retrieval issue.
 */
public interface SearchIndex {

    /** Adds or replaces the cube's entry with this version. */
    void upsert(MemCube cube, float[] vector);

    void remove(CubeId id);

    /** Candidates in the given spaces, best first. */
    List<CubeId> search(Collection<String> spaces, String text, float[] vector, int k);
}
