package dev.memos.kernel.spi;

import dev.memos.kernel.lineage.Direction;
import dev.memos.kernel.lineage.LineageGraph;
import dev.memos.kernel.model.CubeId;

/**
 * A derived, rebuildable graph of cube versions and the operations that link them (VERSION_OF,
 * DERIVED_FROM, MERGED_INTO, MIGRATED_TO), fed from committed events through
 * {@link dev.memos.kernel.lineage.LineageFacts}. It knows nothing of grants: callers check access
 * ({@link dev.memos.kernel.Lineage}). Callers run these inside {@link Transactions#inTransaction}
 * (the embedded store joins that transaction; Neo4j runs its own).
 */
public interface LineageStore {
    /** Adds nodes and edges; what is there already stays as it is (a replayed event creates nothing new). */
    void add(LineageGraph facts);

    /**
     * Every version of {@code cube} and what is reachable from them within {@code depth} edges, walking
     * edges only in the given direction (ancestors: VERSION_OF and DERIVED_FROM forwards, MERGED_INTO and
     * MIGRATED_TO backwards; descendants the other way round), plus every edge between the nodes returned.
     * At most {@code maxNodes} nodes, nearest first; {@link LineageGraph#truncated()} says when more were
     * in reach. Empty when the cube has no node.
     */
    LineageGraph walk(CubeId cube, Direction direction, int depth, int maxNodes);

    /** Removes the nodes of every cube version of a space, with their edges (the space was deleted). */
    void removeSpace(String space);

    /** How many nodes the graph holds for cube versions of this space. */
    long count(String space);

    /** Removes everything (before a rebuild). */
    void clear();
}
