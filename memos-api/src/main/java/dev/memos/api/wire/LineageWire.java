package dev.memos.api.wire;

import dev.memos.kernel.Lineage;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.Operation;
import dev.memos.kernel.model.Source;
import dev.memos.kernel.model.TextPayload;

import java.time.Instant;
import java.util.List;

/** Lineage and provenance on the wire. A redacted node carries only its ref and version. */
public final class LineageWire {
    private LineageWire() {
    }

    /**
     * A cube version in a lineage answer.
     *
     * @param ref {@code <id>@<version>}, or {@code redacted-<n>@<version>} for a cube you may not read
     */
    public record Node(String ref, String id, int version, String space, LifecycleState state, String kind,
                       String text, Operation operation, String actor, Instant recordedAt, Source source,
                       String sourceRef, boolean redacted) {
        static Node of(Lineage.Node node) {
            int at = node.ref().lastIndexOf('@');
            int version = Integer.parseInt(node.ref().substring(at + 1));
            MemCube v = node.version();
            if (v == null) {
                return new Node(node.ref(), null, version, null, null, null, null, null, null, null, null, null, true);
            }
            TextPayload text = v.payload() instanceof TextPayload t ? t : null;
            return new Node(node.ref(), v.id().toString(), version, v.space(), v.state(),
                    text == null ? null : text.kind(), text == null ? null : text.text(), v.provenance().operation(),
                    v.provenance().actor(), v.time().recordedAt(), v.provenance().source(), v.provenance().sourceRef(),
                    false);
        }
    }

    /** An edge; operation, actor, time and event are withheld when it touches a redacted node. */
    public record Edge(String type, String from, String to, String operation, String actor, Instant at, String eventId) {
        static Edge of(Lineage.Edge e) {
            return new Edge(e.type().name(), e.from(), e.to(), e.operation(), e.actor(), e.at(),
                    e.eventId() == null ? null : e.eventId().toString());
        }
    }

    public record Graph(String root, String direction, int depth, List<Node> nodes, List<Edge> edges, boolean truncated) {
        public static Graph of(Lineage.View view, String direction, int depth) {
            return new Graph(view.root(), direction, depth, view.nodes().stream().map(Node::of).toList(),
                    view.edges().stream().map(Edge::of).toList(), view.truncated());
        }
    }

    /** One step: a version and the refs of the versions it was made from. */
    public record Step(Node node, List<String> inputs) {
    }

    public record Provenance(String cube, List<Step> steps, boolean truncated) {
        public static Provenance of(Lineage.Provenance p) {
            return new Provenance(p.cube(), p.steps().stream().map(s -> new Step(Node.of(s.node()), s.inputs())).toList(),
                    p.truncated());
        }
    }
}
