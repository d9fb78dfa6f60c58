package dev.memos.kernel;

import dev.memos.kernel.access.Principal;
import dev.memos.kernel.access.Role;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.lineage.Direction;
import dev.memos.kernel.lineage.EdgeType;
import dev.memos.kernel.lineage.LineageEdge;
import dev.memos.kernel.lineage.LineageGraph;
import dev.memos.kernel.lineage.LineageNode;
import dev.memos.kernel.lineage.VersionRef;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.spi.CubeStore;
import dev.memos.kernel.spi.DirectoryStore;
import dev.memos.kernel.spi.LineageStore;
import dev.memos.kernel.spi.Transactions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.UUID;

/**
 * Lineage as a principal may see it. The graph store knows nothing of grants; here every node is
 * checked against the caller's read grants: a version of a cube the caller cannot read (or that is
 * gone from the database) is shown as a redacted placeholder — its id, space, text, and the actor,
 * operation and event of the edges touching it are withheld, but the shape of the graph stays. (A
 * version the graph names but the database lacks, of a cube the caller may read, keeps its id and is
 * shown without content.)
 */
public final class Lineage {
    public static final int DEFAULT_DEPTH = 5;
    public static final int MAX_DEPTH = 25;
    public static final int MAX_NODES = 500;

    private final CubeStore cubes;
    private final Guard guard;
    private final LineageStore store;
    private final Transactions transactions;

    public Lineage(CubeStore cubes, DirectoryStore directory, LineageStore store, Transactions transactions) {
        this.cubes = Objects.requireNonNull(cubes, "cubes");
        this.guard = new Guard(Objects.requireNonNull(directory, "directory"), cubes);
        this.store = Objects.requireNonNull(store, "store");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
    }

    /**
     * A node as the caller sees it.
     *
     * @param ref {@code <cube id>@<version>}, or {@code redacted-<n>@<version>} for a hidden cube
     * @param version the cube version; null when redacted
     */
    public record Node(String ref, MemCube version, boolean redacted) {
    }

    /** An edge as the caller sees it; operation, actor, time and event are null when it touches a redacted node. */
    public record Edge(EdgeType type, String from, String to, String operation, String actor, Instant at, UUID eventId) {
    }

    public record View(String root, List<Node> nodes, List<Edge> edges, boolean truncated) {
    }

    /** One step of a provenance chain: a version and the versions it was made from. */
    public record Step(Node node, List<String> inputs) {
    }

    public record Provenance(String cube, List<Step> steps, boolean truncated) {
    }

    /**
     * Which of these cubes {@code actor} may read (holds a grant on its space; deleted ones included, as in a lineage
     * view). A cube view names the others' ids only redacted, as the lineage view does.
     */
    public java.util.Set<CubeId> readable(Principal actor, java.util.Collection<CubeId> ids) {
        java.util.Set<CubeId> readable = new java.util.HashSet<>();
        List<CubeId> all = List.copyOf(new java.util.LinkedHashSet<>(ids));
        for (int from = 0; from < all.size(); from += 256) {
            List<CubeId> chunk = all.subList(from, Math.min(all.size(), from + 256));
            readable.addAll(transactions.inTransaction(() -> cubes.findHeads(chunk, actor.id())).keySet());
        }
        return readable;
    }

    /** The lineage of a cube readable by {@code actor} (else not found, as for a read). */
    public View view(Principal actor, CubeId id, Direction direction, int depth) {
        Objects.requireNonNull(direction, "direction");
        if (depth < 0 || depth > MAX_DEPTH) {
            throw new InvalidException("depth", "must be 0 … " + MAX_DEPTH + "; got " + depth);
        }
        MemCube root = transactions.inTransaction(() -> guard.cube(actor, id, Role.READ));
        LineageGraph graph = transactions.inTransaction(() -> store.walk(id, direction, depth, MAX_NODES));
        Redaction seen = transactions.inTransaction(() -> new Redaction(actor, graph, id));
        return new View(new VersionRef(id, root.version()).key(), seen.nodes(), seen.edges(), graph.truncated());
    }

    /**
     * How a cube came to be: every version it descends from (its earlier versions, the sources it was
     * derived or merged from, theirs, …), origins first, each with the versions it was made from.
     */
    public Provenance provenance(Principal actor, CubeId id) {
        View view = view(actor, id, Direction.ANCESTORS, MAX_DEPTH);
        Map<String, List<String>> inputs = new LinkedHashMap<>();
        Map<String, Integer> waiting = new HashMap<>();
        Map<String, List<String>> feeds = new HashMap<>();
        for (Node node : view.nodes()) {
            inputs.put(node.ref(), new ArrayList<>());
            waiting.put(node.ref(), 0);
        }
        for (Edge edge : view.edges()) {
            boolean madeIsFrom = edge.type().pointsToOrigin();
            String made = madeIsFrom ? edge.from() : edge.to();
            String input = madeIsFrom ? edge.to() : edge.from();
            inputs.get(made).add(input);
            waiting.merge(made, 1, Integer::sum);
            feeds.computeIfAbsent(input, k -> new ArrayList<>()).add(made);
        }
        // Origins first: a version comes after everything it was made from (ties in ref order).
        Map<String, Node> byRef = new LinkedHashMap<>();
        view.nodes().forEach(n -> byRef.put(n.ref(), n));
        PriorityQueue<String> ready = new PriorityQueue<>();
        waiting.forEach((ref, n) -> {
            if (n == 0) {
                ready.add(ref);
            }
        });
        List<Step> steps = new ArrayList<>();
        while (!ready.isEmpty()) {
            String ref = ready.poll();
            steps.add(new Step(byRef.get(ref), List.copyOf(inputs.get(ref))));
            for (String next : feeds.getOrDefault(ref, List.of())) {
                if (waiting.merge(next, -1, Integer::sum) == 0) {
                    ready.add(next);
                }
            }
        }
        return new Provenance(id.toString(), steps, view.truncated());
    }

    /** Decides, per cube of a graph, whether the caller may see it, and renames the hidden ones. */
    private final class Redaction {
        private final Map<CubeId, Map<Integer, MemCube>> visible = new HashMap<>();
        private final Map<CubeId, String> tokens = new LinkedHashMap<>();
        private final LineageGraph graph;

        Redaction(Principal actor, LineageGraph graph, CubeId root) {
            this.graph = graph;
            for (LineageNode node : graph.nodes()) {
                CubeId cube = node.ref().cube();
                if (!visible.containsKey(cube) && !tokens.containsKey(cube)) {
                    Map<Integer, MemCube> versions = new HashMap<>();
                    cubes.versions(cube, actor.id()).forEach(v -> versions.put(v.version(), v));
                    // a deleted cube is shown like one the caller cannot read: what remains of it is structure
                    boolean deleted = versions.values().stream().anyMatch(v -> v.state() == LifecycleState.DELETED);
                    if (versions.isEmpty() || deleted && !cube.equals(root)) {
                        tokens.put(cube, "redacted-" + (tokens.size() + 1));
                    } else {
                        visible.put(cube, versions);
                    }
                }
            }
        }

        private MemCube version(VersionRef ref) {
            Map<Integer, MemCube> versions = visible.get(ref.cube());
            return versions == null ? null : versions.get(ref.version());
        }

        /** The node's name for the caller: hidden cubes by their token (a version of a readable cube keeps its id). */
        private String ref(VersionRef ref) {
            String token = tokens.get(ref.cube());
            return token == null ? ref.key() : token + "@" + ref.version();
        }

        List<Node> nodes() {
            List<Node> nodes = new ArrayList<>();
            for (LineageNode node : graph.nodes()) {
                MemCube version = version(node.ref());
                nodes.add(new Node(ref(node.ref()), version, version == null));
            }
            return nodes;
        }

        List<Edge> edges() {
            List<Edge> edges = new ArrayList<>();
            for (LineageEdge e : graph.edges()) {
                boolean open = version(e.from()) != null && version(e.to()) != null;
                edges.add(open ? new Edge(e.type(), ref(e.from()), ref(e.to()), e.operation(), e.actor(), e.at(), e.eventId())
                        : new Edge(e.type(), ref(e.from()), ref(e.to()), null, null, null, null));
            }
            return edges;
        }
    }
}
