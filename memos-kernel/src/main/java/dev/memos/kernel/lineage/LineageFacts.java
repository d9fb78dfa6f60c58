package dev.memos.kernel.lineage;

import dev.memos.kernel.event.KernelEvent;
import dev.memos.kernel.model.CubeId;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What kernel events mean for the lineage graph. Both lineage stores are fed through this one
 * mapping, so they hold the same graph for the same events:
 * <ul>
 *   <li>{@code cube.created}: node {@code (cube, 1)}; with {@code derivedFrom}/{@code derivedFromVersions}, a
 *       DERIVED_FROM edge to each source version, and with {@code operation=migrate} also MIGRATED_TO from each,
 *       with {@code operation=merge} MERGED_INTO from each (a fusion's sources are merged into it);</li>
 *   <li>{@code cube.versioned}: node {@code (cube, n)} and VERSION_OF {@code (cube, n) → (cube, n-1)};</li>
 *   <li>{@code cube.invalidated}: the invalidation is version n: node {@code (cube, n)} and VERSION_OF
 *       {@code (cube, n) → (cube, n-1)}; with {@code contradictedBy} also CONTRADICTS {@code (newer fact) → (cube, n-1)}
 *       (the version that held the contradicted fact);</li>
 *   <li>{@code cube.transitioned} with {@code mergedInto}: MERGED_INTO {@code (source, v) → (fused, 1)} (the
 *       same edge the fusion's created event records; whichever comes first is kept).</li>
 * </ul>
 * Other events leave the graph alone (a deleted cube's versions stay in it: lineage is history).
 */
public final class LineageFacts {
    /** Event data keys the kernel writes and this mapping reads. */
    public static final String DERIVED_FROM = "derivedFrom";
    public static final String DERIVED_FROM_VERSIONS = "derivedFromVersions";
    public static final String MERGED_INTO = "mergedInto";
    public static final String OPERATION = "operation";
    /** On {@code cube.invalidated}: the {@code id@version} of the fact that contradicted the invalidated one. */
    public static final String CONTRADICTED_BY = "contradictedBy";

    private LineageFacts() {
    }

    /** The facts of a batch of events, merged (a node's space is kept from whichever event knew it). */
    public static LineageGraph of(Collection<KernelEvent> events) {
        Map<VersionRef, LineageNode> nodes = new LinkedHashMap<>();
        List<LineageEdge> edges = new ArrayList<>();
        for (KernelEvent event : events) {
            LineageGraph facts = of(event);
            for (LineageNode node : facts.nodes()) {
                nodes.merge(node.ref(), node, (a, b) -> a.space() != null ? a : b);
            }
            edges.addAll(facts.edges());
        }
        return LineageGraph.of(nodes.values(), edges);
    }

    public static LineageGraph of(KernelEvent event) {
        if (event.cubeId() == null || event.version() < 1) {
            return LineageGraph.EMPTY;
        }
        VersionRef self = new VersionRef(event.cubeId(), event.version());
        Map<String, String> data = event.data();
        List<LineageNode> nodes = new ArrayList<>();
        List<LineageEdge> edges = new ArrayList<>();
        String operation = data.getOrDefault(OPERATION, "write");
        switch (event.type()) {
            case CUBE_CREATED -> {
                nodes.add(new LineageNode(self, event.space()));
                List<VersionRef> sources = sources(data);
                String made = operation;
                for (VersionRef source : sources) {
                    nodes.add(new LineageNode(source, null));
                    edges.add(edge(EdgeType.DERIVED_FROM, self, source, made, event));
                    if (made.equals("migrate")) {
                        edges.add(edge(EdgeType.MIGRATED_TO, source, self, made, event));
                    } else if (made.equals("merge")) {
                        edges.add(edge(EdgeType.MERGED_INTO, source, self, made, event));
                    }
                }
            }
            case CUBE_VERSIONED -> {
                nodes.add(new LineageNode(self, event.space()));
                if (event.version() > 1) {
                    VersionRef previous = new VersionRef(event.cubeId(), event.version() - 1);
                    nodes.add(new LineageNode(previous, event.space()));
                    edges.add(edge(EdgeType.VERSION_OF, self, previous, operation, event));
                }
            }
            case CUBE_TRANSITIONED -> {
                String into = data.get(MERGED_INTO);
                if (into != null) {
                    VersionRef fused = new VersionRef(CubeId.parse(into), 1);
                    nodes.add(new LineageNode(self, event.space()));
                    nodes.add(new LineageNode(fused, event.space()));
                    edges.add(edge(EdgeType.MERGED_INTO, self, fused, "merge", event));
                }
            }
            case CUBE_INVALIDATED -> {
                nodes.add(new LineageNode(self, event.space()));
                if (event.version() > 1) {
                    VersionRef held = new VersionRef(event.cubeId(), event.version() - 1);
                    nodes.add(new LineageNode(held, event.space()));
                    edges.add(edge(EdgeType.VERSION_OF, self, held, "invalidate", event));
                    String by = data.get(CONTRADICTED_BY);
                    if (by != null) {
                        VersionRef newer = VersionRef.parse(by);
                        nodes.add(new LineageNode(newer, event.space()));
                        edges.add(edge(EdgeType.CONTRADICTS, newer, held, "contradict", event));
                    }
                }
            }
            default -> {
                // deletions, spaces and grants do not change what came from what
            }
        }
        return LineageGraph.of(nodes, edges);
    }

    /** The source versions a created event names: {@code derivedFrom} ids with {@code derivedFromVersions}. */
    static List<VersionRef> sources(Map<String, String> data) {
        String ids = data.get(DERIVED_FROM);
        if (ids == null || ids.isBlank()) {
            return List.of();
        }
        String[] id = ids.split(",");
        String[] version = data.getOrDefault(DERIVED_FROM_VERSIONS, "").split(",");
        if (version.length != id.length) {
            throw new IllegalArgumentException("event names " + id.length + " sources in derivedFrom but "
                    + version.length + " versions in derivedFromVersions");
        }
        List<VersionRef> refs = new ArrayList<>(id.length);
        for (int i = 0; i < id.length; i++) {
            refs.add(new VersionRef(CubeId.parse(id[i].trim()), Integer.parseInt(version[i].trim())));
        }
        return refs;
    }

    /** The data a created event carries for its sources. */
    public static Map<String, String> sourceData(Collection<VersionRef> sources) {
        if (sources.isEmpty()) {
            return Map.of();
        }
        return Map.of(DERIVED_FROM, String.join(",", sources.stream().map(s -> s.cube().toString()).toList()),
                DERIVED_FROM_VERSIONS, String.join(",", sources.stream().map(s -> Integer.toString(s.version())).toList()));
    }

    private static LineageEdge edge(EdgeType type, VersionRef from, VersionRef to, String operation, KernelEvent event) {
        return new LineageEdge(type, from, to, operation, event.actor(), event.occurredAt(),
                event.eventId());
    }
}
