package dev.memos.kernel.lineage;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Nodes and edges, each sorted (so two graphs compare equal when they hold the same things).
 *
 * @param truncated a walk stopped at its node limit before reaching its depth
 */
public record LineageGraph(List<LineageNode> nodes, List<LineageEdge> edges, boolean truncated) {
    public static final LineageGraph EMPTY = new LineageGraph(List.of(), List.of(), false);

    public LineageGraph {
        nodes = List.copyOf(new TreeSet<>(Objects.requireNonNull(nodes, "nodes")));
        edges = List.copyOf(new TreeSet<>(Objects.requireNonNull(edges, "edges")));
    }

    public static LineageGraph of(Collection<LineageNode> nodes, Collection<LineageEdge> edges) {
        return new LineageGraph(List.copyOf(nodes), List.copyOf(edges), false);
    }

    public boolean isEmpty() {
        return nodes.isEmpty() && edges.isEmpty();
    }
}
