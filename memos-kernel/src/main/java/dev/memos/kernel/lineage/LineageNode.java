package dev.memos.kernel.lineage;

import java.util.Objects;

/**
 * A cube version in the graph.
 *
 * @param space the cube's space when an event told it; null for a version known only as another's source
 */
public record LineageNode(VersionRef ref, String space) implements Comparable<LineageNode> {
    public LineageNode {
        Objects.requireNonNull(ref, "ref");
    }

    @Override
    public int compareTo(LineageNode other) {
        return ref.compareTo(other.ref);
    }
}
