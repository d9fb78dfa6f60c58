package dev.memos.testkit;

import dev.memos.kernel.event.EventType;
import dev.memos.kernel.event.KernelEvent;
import dev.memos.kernel.lineage.Direction;
import dev.memos.kernel.lineage.EdgeType;
import dev.memos.kernel.lineage.LineageEdge;
import dev.memos.kernel.lineage.LineageFacts;
import dev.memos.kernel.lineage.LineageGraph;
import dev.memos.kernel.lineage.LineageNode;
import dev.memos.kernel.lineage.VersionRef;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.spi.LineageStore;
import dev.memos.kernel.spi.Transactions;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract of a lineage store, fed with kernel events through {@link LineageFacts} exactly as the
 * lineage recorder feeds it. Every test uses fresh cube ids, so stores need not be emptied between tests.
 */
public abstract class LineageStoreContract {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private int tick;

    protected abstract LineageStore store();

    protected abstract Transactions transactions();

    private void record(KernelEvent... events) {
        LineageGraph facts = LineageFacts.of(List.of(events));
        transactions().inTransaction(() -> {
            store().add(facts);
            return null;
        });
    }

    private LineageGraph walk(CubeId cube, Direction direction, int depth) {
        return walk(cube, direction, depth, 100);
    }

    private LineageGraph walk(CubeId cube, Direction direction, int depth, int maxNodes) {
        return transactions().inTransaction(() -> store().walk(cube, direction, depth, maxNodes));
    }

    private Instant nextTime() {
        // whole milliseconds: every store keeps at least those
        return T0.plus(++tick, ChronoUnit.SECONDS).plusMillis(123);
    }

    private KernelEvent created(CubeId id, String space, Map<String, String> data) {
        return new KernelEvent(UUID.randomUUID(), EventType.CUBE_CREATED, space, id, 1, "alice", nextTime(), data);
    }

    private KernelEvent created(CubeId id) {
        return created(id, "notes", Map.of());
    }

    private KernelEvent derived(CubeId id, String operation, VersionRef... sources) {
        Map<String, String> data = new HashMap<>(LineageFacts.sourceData(List.of(sources)));
        data.put(LineageFacts.OPERATION, operation);
        return created(id, "notes", data);
    }

    /** A consolidation's created event, as the kernel writes it: by memos itself. */
    private KernelEvent fused(CubeId id, VersionRef... sources) {
        Map<String, String> data = new HashMap<>(LineageFacts.sourceData(List.of(sources)));
        data.put(LineageFacts.OPERATION, "merge");
        return new KernelEvent(UUID.randomUUID(), EventType.CUBE_CREATED, "notes", id, 1, "memos-scheduler", nextTime(), data);
    }

    private KernelEvent versioned(CubeId id, int version, String operation) {
        return new KernelEvent(UUID.randomUUID(), EventType.CUBE_VERSIONED, "notes", id, version, "bob", nextTime(),
                Map.of(LineageFacts.OPERATION, operation));
    }

    private KernelEvent merged(CubeId source, int version, CubeId into) {
        return new KernelEvent(UUID.randomUUID(), EventType.CUBE_TRANSITIONED, "notes", source, version,
                "memos-scheduler", nextTime(), Map.of("from", "ACTIVATED", "to", "MERGED", LineageFacts.MERGED_INTO,
                into.toString()));
    }

    private static CubeId id() {
        return CubeId.next(Clock.systemUTC());
    }

    private static VersionRef v(CubeId id, int version) {
        return new VersionRef(id, version);
    }

    private static Set<VersionRef> refs(LineageGraph graph) {
        return graph.nodes().stream().map(LineageNode::ref).collect(Collectors.toSet());
    }

    private static Set<String> edges(LineageGraph graph) {
        return graph.edges().stream().map(e -> e.from() + " " + e.type() + " " + e.to()).collect(Collectors.toSet());
    }

    @Test
    void versions_are_linked_newest_to_oldest_with_operation_actor_time_and_event() {
        CubeId a = id();
        KernelEvent v1 = created(a);
        KernelEvent v2 = versioned(a, 2, "update");
        KernelEvent v3 = versioned(a, 3, "rollback");
        record(v1, v2, v3);

        LineageGraph graph = walk(a, Direction.BOTH, 0);
        assertEquals(Set.of(v(a, 1), v(a, 2), v(a, 3)), refs(graph));
        assertEquals(List.of(new LineageEdge(EdgeType.VERSION_OF, v(a, 2), v(a, 1), "update", "bob", v2.occurredAt(),
                        v2.eventId()),
                new LineageEdge(EdgeType.VERSION_OF, v(a, 3), v(a, 2), "rollback", "bob", v3.occurredAt(), v3.eventId())),
                graph.edges());
        assertTrue(graph.nodes().stream().allMatch(n -> "notes".equals(n.space())), graph.nodes().toString());
        assertFalse(graph.truncated());
    }

    @Test
    void replaying_events_creates_nothing_new_and_keeps_the_first_recording() {
        CubeId a = id();
        CubeId b = id();
        KernelEvent[] events = {created(a), versioned(a, 2, "update"), derived(b, "derive", v(a, 2))};
        record(events);
        LineageGraph first = walk(b, Direction.BOTH, 5);
        record(events);
        record(events[2], events[0]);
        assertEquals(first, walk(b, Direction.BOTH, 5));
        assertEquals(3, first.nodes().size());
        assertEquals(2, first.edges().size());
    }

    @Test
    void removing_aspace_removes_its_versions_and_their_edges_only() {
        String keptSpace = "kept-" + UUID.randomUUID(), doomedSpace = "doomed-" + UUID.randomUUID();
        CubeId kept = id();
        CubeId doomed = id();
        CubeId derived = id();
        Map<String, String> data = new HashMap<>(LineageFacts.sourceData(List.of(v(kept, 1))));
        data.put(LineageFacts.OPERATION, "derive");
        record(created(kept, keptSpace, Map.of()), created(doomed, doomedSpace, Map.of()),
                created(derived, doomedSpace, data));
        assertEquals(2, transactions().inTransaction(() -> store().count(doomedSpace)));
        assertEquals(Set.of(v(kept, 1), v(derived, 1)), refs(walk(kept, Direction.DESCENDANTS, 5)));

        transactions().inTransaction(() -> {
            store().removeSpace(doomedSpace);
            return null;
        });
        assertEquals(0, transactions().inTransaction(() -> store().count(doomedSpace)));
        assertEquals(Set.of(), refs(walk(doomed, Direction.ANCESTORS, 5)));
        assertEquals(Set.of(v(kept, 1)), refs(walk(kept, Direction.DESCENDANTS, 5)), "the edge into the space went too");
        assertEquals(1, transactions().inTransaction(() -> store().count(keptSpace)));
    }

    @Test
    void derivation_links_the_new_cube_to_the_source_versions_it_names() {
        CubeId a = id();
        CubeId b = id();
        CubeId summary = id();
        KernelEvent made = derived(summary, "derive", v(a, 2), v(b, 1));
        record(created(a), versioned(a, 2, "update"), created(b), made, versioned(a, 3, "update"));

        LineageGraph up = walk(summary, Direction.ANCESTORS, 1);
        assertEquals(Set.of(v(summary, 1), v(a, 2), v(b, 1)), refs(up));
        assertTrue(up.edges().contains(new LineageEdge(EdgeType.DERIVED_FROM, v(summary, 1), v(a, 2), "derive", "alice",
                made.occurredAt(), made.eventId())), up.edges().toString());
        assertEquals(Set.of(v(summary, 1), v(a, 1), v(a, 2), v(b, 1)), refs(walk(summary, Direction.ANCESTORS, 2)));

        // from a source: its descendants include the summary, its ancestors do not
        assertTrue(refs(walk(a, Direction.DESCENDANTS, 1)).contains(v(summary, 1)));
        assertFalse(refs(walk(a, Direction.ANCESTORS, 5)).contains(v(summary, 1)));
        assertFalse(refs(walk(summary, Direction.DESCENDANTS, 5)).contains(v(a, 2)));
    }

    @Test
    void a_fusion_is_merged_into_from_each_source_and_derived_from_them() {
        CubeId s1 = id();
        CubeId s2 = id();
        CubeId fused = id();
        KernelEvent made = fused(fused, v(s1, 1), v(s2, 1));
        record(created(s1), created(s2), made, merged(s1, 1, fused), merged(s2, 1, fused));

        assertEquals(Set.of(
                v(fused, 1) + " DERIVED_FROM " + v(s1, 1), v(fused, 1) + " DERIVED_FROM " + v(s2, 1),
                v(s1, 1) + " MERGED_INTO " + v(fused, 1), v(s2, 1) + " MERGED_INTO " + v(fused, 1)),
                edges(walk(fused, Direction.ANCESTORS, 1)));
        assertEquals(Set.of(v(s1, 1), v(fused, 1)), refs(walk(s1, Direction.DESCENDANTS, 3)));
        LineageEdge merge = walk(s2, Direction.DESCENDANTS, 1).edges().stream()
                .filter(e -> e.type() == EdgeType.MERGED_INTO).findFirst().orElseThrow();
        assertEquals("memos-scheduler", merge.actor());
        assertEquals("merge", merge.operation());
        assertEquals(made.eventId(), merge.eventId(), "the fusion's own event records the edge first");

        // a source's merged event alone (a fusion recorded before this mapping knew created events) links it too
        CubeId s3 = id();
        CubeId other = id();
        record(created(s3), merged(s3, 1, other));
        assertEquals(Set.of(v(s3, 1) + " MERGED_INTO " + v(other, 1)), edges(walk(s3, Direction.DESCENDANTS, 1)));
    }

    @Test
    void a_migration_is_migrated_to_from_its_source() {
        CubeId text = id();
        CubeId adapter = id();
        record(created(text), derived(adapter, "migrate", v(text, 1)));
        assertEquals(Set.of(v(text, 1) + " MIGRATED_TO " + v(adapter, 1), v(adapter, 1) + " DERIVED_FROM " + v(text, 1)),
                edges(walk(text, Direction.DESCENDANTS, 1)));
        assertEquals(Set.of(v(text, 1), v(adapter, 1)), refs(walk(adapter, Direction.ANCESTORS, 1)));
    }

    @Test
    void depth_counts_edges_from_any_version_of_the_cube() {
        // d ← c ← b ← a: each derived from the previous one
        CubeId a = id();
        CubeId b = id();
        CubeId c = id();
        CubeId d = id();
        record(created(a), derived(b, "derive", v(a, 1)), derived(c, "derive", v(b, 1)), versioned(c, 2, "update"),
                derived(d, "derive", v(c, 2)));
        assertEquals(Set.of(v(d, 1)), refs(walk(d, Direction.ANCESTORS, 0)));
        assertEquals(Set.of(v(d, 1), v(c, 2)), refs(walk(d, Direction.ANCESTORS, 1)));
        assertEquals(Set.of(v(d, 1), v(c, 2), v(c, 1)), refs(walk(d, Direction.ANCESTORS, 2)));
        assertEquals(Set.of(v(d, 1), v(c, 2), v(c, 1), v(b, 1), v(a, 1)), refs(walk(d, Direction.ANCESTORS, 4)));
        // c's versions are all roots: both directions from c reach one hop each way
        assertEquals(Set.of(v(c, 1), v(c, 2), v(b, 1), v(d, 1)), refs(walk(c, Direction.BOTH, 1)));
    }

    @Test
    void a_walk_stops_at_its_node_limit_nearest_first() {
        CubeId root = id();
        List<KernelEvent> events = new ArrayList<>();
        events.add(created(root));
        List<CubeId> children = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            CubeId child = id();
            children.add(child);
            events.add(derived(child, "derive", v(root, 1)));
        }
        CubeId grandchild = id();
        events.add(derived(grandchild, "derive", v(children.getFirst(), 1)));
        record(events.toArray(KernelEvent[]::new));

        LineageGraph all = walk(root, Direction.DESCENDANTS, 2, 100);
        assertEquals(14, all.nodes().size());
        assertFalse(all.truncated());
        LineageGraph cut = walk(root, Direction.DESCENDANTS, 2, 13);
        assertEquals(13, cut.nodes().size());
        assertTrue(cut.truncated());
        assertFalse(refs(cut).contains(v(grandchild, 1)), "the farthest node is the one left out");
    }

    @Test
    void a_source_recorded_before_its_own_event_gets_its_space_later() {
        CubeId source = id();
        CubeId derivedOne = id();
        record(derived(derivedOne, "derive", v(source, 1)));
        assertEquals(null, node(walk(derivedOne, Direction.ANCESTORS, 1), v(source, 1)).space());
        record(created(source, "other-space", Map.of()));
        assertEquals("other-space", node(walk(derivedOne, Direction.ANCESTORS, 1), v(source, 1)).space());
    }

    private static LineageNode node(LineageGraph graph, VersionRef ref) {
        return graph.nodes().stream().filter(n -> n.ref().equals(ref)).findFirst().orElseThrow();
    }

    @Test
    void hostile_text_is_stored_verbatim_and_changes_nothing_else() {
        CubeId a = id();
        String space = "x'}) DETACH DELETE n //";
        String actor = "\"; drop table lineage_edge; --";
        KernelEvent v1 = new KernelEvent(UUID.randomUUID(), EventType.CUBE_CREATED, space, a, 1, actor, nextTime(), Map.of());
        KernelEvent v2 = new KernelEvent(UUID.randomUUID(), EventType.CUBE_VERSIONED, space, a, 2, actor, nextTime(),
                Map.of(LineageFacts.OPERATION, "update') RETURN 1 //"));
        record(v1, v2);
        LineageGraph graph = walk(a, Direction.BOTH, 1);
        assertEquals(Set.of(space), graph.nodes().stream().map(LineageNode::space).collect(Collectors.toSet()));
        assertEquals(actor, graph.edges().getFirst().actor());
        assertEquals("update') RETURN 1 //", graph.edges().getFirst().operation());
        CubeId other = id();
        record(created(other));
        assertEquals(1, walk(other, Direction.BOTH, 1).nodes().size(), "the store still works");
    }

    @Test
    void an_unknown_cube_has_no_lineage_and_events_without_lineage_add_nothing() {
        CubeId a = id();
        assertTrue(walk(a, Direction.BOTH, 5).isEmpty());
        record(new KernelEvent(UUID.randomUUID(), EventType.CUBE_DELETED, "notes", a, 1, "alice", nextTime(), Map.of()));
        assertTrue(walk(a, Direction.BOTH, 5).isEmpty());
    }

    @Test
    void clear_removes_everything() {
        CubeId a = id();
        record(created(a), versioned(a, 2, "update"));
        assertEquals(2, walk(a, Direction.BOTH, 1).nodes().size());
        transactions().inTransaction(() -> {
            store().clear();
            return null;
        });
        assertTrue(walk(a, Direction.BOTH, 1).isEmpty());
    }
}
