package dev.memos.testkit;

import dev.memos.kernel.CubePatch;
import dev.memos.kernel.MemoryKernel;
import dev.memos.kernel.NewCube;
import dev.memos.kernel.error.ConflictException;
import dev.memos.kernel.error.NotFoundException;
import dev.memos.kernel.event.EventType;
import dev.memos.kernel.event.KernelEvent;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.Operation;
import dev.memos.kernel.model.Payload;
import dev.memos.kernel.model.Source;
import dev.memos.kernel.query.CubeQuery;
import dev.memos.kernel.query.Page;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lifecycle moves, as-of reads, idempotency and listing through the kernel, on every back end. */
public abstract class CubeLifecycleContract extends CubeWritesContract {
    // --- lifecycle

    @Test
    void legal_transitions_persist_and_illegal_ones_change_nothing() {
        MemCube cube = write("cold fact");
        assertEquals(LifecycleState.ACTIVATED, kernel.transition(alice, cube.id(), LifecycleState.ACTIVATED, "used").state());
        assertEquals(LifecycleState.ARCHIVED, kernel.transition(alice, cube.id(), LifecycleState.ARCHIVED, null).state());
        assertEquals(LifecycleState.ARCHIVED, kernel.read(alice, cube.id()).state());
        assertThrows(ConflictException.class, () -> kernel.transition(alice, cube.id(), LifecycleState.MERGED, null));
        assertEquals(LifecycleState.ARCHIVED, kernel.read(alice, cube.id()).state());
        KernelEvent last = backend().eventsFor(cube.id()).getLast();
        assertEquals(EventType.CUBE_TRANSITIONED, last.type());
        assertEquals("ACTIVATED", last.data().get("from"));
        assertEquals("ARCHIVED", last.data().get("to"));
    }

    @Test
    void a_frozen_cube_cannot_change() {
        MemCube cube = write("pinned");
        kernel.transition(alice, cube.id(), LifecycleState.FROZEN, "keep");
        assertThrows(ConflictException.class, () -> kernel.update(alice, cube.id(), 1, CubePatch.text("x")));
        assertThrows(ConflictException.class, () -> kernel.invalidate(alice, cube.id(), null, null));
        assertThrows(ConflictException.class, () -> kernel.transition(alice, cube.id(), LifecycleState.ACTIVATED, null));
        assertEquals("pinned", kernel.read(alice, cube.id()).text());
    }

    @Test
    void invalidation_is_a_new_version_and_keeps_what_memos_believed_before() {
        MemCube cube = kernel.write(alice, space, NewCube.text("Carol works at Acme", "fact")
                .withValidity(Instant.parse("2020-01-01T00:00:00Z"), null)).cube();
        clock.advance(Duration.ofHours(1));
        Instant believed = clock.instant();
        clock.advance(Duration.ofHours(1));
        Instant end = Instant.parse("2025-03-01T00:00:00Z");
        MemCube ended = kernel.invalidate(alice, cube.id(), end, "contradicted");
        assertEquals(2, ended.version());
        assertEquals(Operation.INVALIDATE, ended.provenance().operation());
        assertEquals(end, ended.time().validTo());
        assertNull(ended.time().supersededAt());

        MemCube read = kernel.read(alice, cube.id());
        assertEquals("Carol works at Acme", read.text());
        assertEquals(end, read.time().validTo());
        MemCube v1 = kernel.readVersion(alice, cube.id(), 1);
        assertNull(v1.time().validTo(), "version 1 still says what memos believed until the invalidation");
        assertEquals(ended.time().recordedAt(), v1.time().supersededAt());
        assertThrows(ConflictException.class, () -> kernel.invalidate(alice, cube.id(), null, null));

        CubeQuery before = new CubeQuery(null, null, null, Instant.parse("2024-01-01T00:00:00Z"), null, 50);
        CubeQuery after = new CubeQuery(null, null, null, Instant.parse("2025-06-01T00:00:00Z"), null, 50);
        assertEquals(1, kernel.list(alice, space, before).items().size());
        assertEquals(0, kernel.list(alice, space, after).items().size());

        // a later update supersedes the invalidation version; no version's times are rewritten
        clock.advance(Duration.ofHours(1));
        kernel.update(alice, cube.id(), 2, CubePatch.text("Carol worked at Acme"));
        List<MemCube> history = kernel.history(alice, cube.id());
        assertEquals(v1.time(), history.get(0).time(), "version 1 untouched by the update");
        assertEquals(end, history.get(1).time().validTo());
        assertEquals(history.get(2).time().recordedAt(), history.get(1).time().supersededAt());
    }

    @Test
    void as_of_reads_and_lists_answer_what_memos_believed_at_a_recorded_time() {
        Instant t0 = clock.instant();
        MemCube cube = kernel.write(alice, space, NewCube.text("Dana lives in Oslo", "fact").withTags(List.of("home"))).cube();
        clock.advance(Duration.ofHours(1));
        Instant t1 = clock.instant();
        clock.advance(Duration.ofHours(1));
        kernel.update(alice, cube.id(), 1, new CubePatch("Dana lives in Bergen", "place", List.of("moved"), null, null,
                null, false, null, null, null));
        clock.advance(Duration.ofHours(1));
        Instant t2 = clock.instant();
        clock.advance(Duration.ofHours(1));
        kernel.invalidate(alice, cube.id(), null, "moved away");
        clock.advance(Duration.ofHours(1));
        Instant t3 = clock.instant();
        MemCube later = write("written after t1");

        assertEquals("Dana lives in Oslo", kernel.readAsOf(alice, cube.id(), t1).text());
        assertEquals(1, kernel.readAsOf(alice, cube.id(), t1).version());
        assertEquals("Dana lives in Bergen", kernel.readAsOf(alice, cube.id(), t2).text());
        assertNull(kernel.readAsOf(alice, cube.id(), t2).time().validTo(), "at t2 memos still believed it held");
        assertNotNull(kernel.readAsOf(alice, cube.id(), t3).time().validTo());
        assertThrows(NotFoundException.class, () -> kernel.readAsOf(alice, cube.id(), t0.minusSeconds(1)));
        assertThrows(NotFoundException.class, () -> kernel.readAsOf(bob, cube.id(), t1), "tenancy holds in time too");

        Map<CubeId, MemCube> atT1 = asOf(t1, null, null);
        assertEquals(Set.of(cube.id()), atT1.keySet(), "a cube written later is absent");
        assertEquals("Dana lives in Oslo", atT1.get(cube.id()).text());
        assertEquals(Set.of(cube.id()), asOf(t1, "fact", "home").keySet(), "kind and tag of that version");
        assertEquals(Set.of(), asOf(t1, "place", null).keySet());
        assertEquals(Set.of(cube.id()), asOf(t2, "place", "moved").keySet());
        assertEquals(Set.of(), asOf(t2, null, "home").keySet());
        assertEquals(Set.of(cube.id(), later.id()), asOf(clock.instant(), null, null).keySet());
        assertEquals(Set.of(), asOf(t1, null, null, Instant.parse("2000-01-01T00:00:00Z"), bob).keySet());
    }

    @Test
    void delete_tombstones_and_purges_the_payload_of_every_version() {
        MemCube cube = write("secret v1");
        kernel.update(alice, cube.id(), 1, CubePatch.text("secret v2"));
        MemCube tombstone = kernel.delete(alice, cube.id(), "user asked");
        assertEquals(LifecycleState.DELETED, tombstone.state());

        assertInstanceOf(Payload.Purged.class, kernel.read(alice, cube.id()).payload());
        for (MemCube version : kernel.history(alice, cube.id())) {
            assertInstanceOf(Payload.Purged.class, version.payload(), "version " + version.version());
            assertEquals(LifecycleState.DELETED, version.state());
        }
        assertTrue(kernel.list(alice, space, CubeQuery.firstPage()).items().isEmpty());
        CubeQuery deleted = new CubeQuery(LifecycleState.DELETED, null, null, null, null, 50);
        assertEquals(1, kernel.list(alice, space, deleted).items().size());
        assertEquals(LifecycleState.DELETED, kernel.delete(alice, cube.id(), null).state(), "deleting again is a no-op");
        assertEquals(EventType.CUBE_DELETED, backend().eventsFor(cube.id()).getLast().type());
        assertEquals(1, backend().eventsFor(cube.id()).stream().filter(e -> e.type() == EventType.CUBE_DELETED).count());
    }

    @Test
    void a_tombstone_keeps_nothing_about_the_content_and_still_knows_its_idempotency_key() {
        MemCube source = write("the source");
        MemCube cube = kernel.write(alice, space, new NewCube("Carol's pin is 4321", "fact", List.of("private"),
                null, "ref-7", "session-9", null, null, null, null, java.util.Set.of("pii"), "support", "key-carol",
                List.of(source.id()))).cube();
        assertEquals(List.of(cube.id()), backend().transactions().inTransaction(() ->
                backend().cubes().findDerivedFrom(source.id(), 10)));
        kernel.delete(alice, cube.id(), null);
        for (MemCube version : kernel.history(alice, cube.id())) {
            assertInstanceOf(Payload.Purged.class, version.payload());
            assertNull(version.provenance().sourceRef());
            assertNull(version.provenance().sessionId());
            assertEquals(List.of(), version.provenance().derivedFrom());
            assertEquals(java.util.Set.of(), version.governance().sensitivity());
            assertNull(version.governance().purpose());
        }
        assertEquals(List.of(), backend().transactions().inTransaction(() ->
                backend().cubes().findDerivedFrom(source.id(), 10)), "a deleted cube derives from nothing any more");
        MemoryKernel.WriteResult replay = kernel.write(alice, space, NewCube.text("again", "fact")
                .withIdempotencyKey("key-carol"));
        assertFalse(replay.created(), "the key of a deleted cube is still known");
        assertEquals(LifecycleState.DELETED, replay.cube().state());
    }

    // --- idempotency

    @Test
    void a_repeated_idempotency_key_returns_the_first_cube() {
        MemoryKernel.WriteResult first = kernel.write(alice, space, NewCube.text("once", "fact").withIdempotencyKey("k1"));
        MemoryKernel.WriteResult again = kernel.write(alice, space, NewCube.text("twice?", "fact").withIdempotencyKey("k1"));
        assertTrue(first.created());
        assertFalse(again.created());
        assertEquals(first.cube().id(), again.cube().id());
        assertEquals("once", again.cube().text());
        assertEquals(1, kernel.list(alice, space, CubeQuery.firstPage()).items().size());
    }

    @Test
    void a_session_is_read_in_the_order_its_cubes_were_created_without_deleted_ones() {
        java.util.function.Function<String, MemCube> say = text -> {
            clock.advance(java.time.Duration.ofSeconds(1));
            return kernel.write(alice, space, new NewCube(text, "message", List.of(),
                    dev.memos.kernel.model.Source.CONVERSATION, null, "s-1", null, null, null, null, Set.of(), null, null)).cube();
        };
        MemCube first = say.apply("first");
        MemCube second = say.apply("second");
        MemCube third = say.apply("third");
        kernel.write(alice, space, NewCube.text("no session", "fact"));
        clock.advance(java.time.Duration.ofSeconds(1));
        kernel.update(alice, first.id(), 1, CubePatch.text("first, edited"));
        kernel.delete(alice, second.id(), null);
        var transactions = backend().transactions();
        var cubes = backend().cubes();
        List<MemCube> session = transactions.inTransaction(() -> cubes.sessionForSystem(space, "s-1", 10));
        assertEquals(List.of(first.id(), third.id()), session.stream().map(MemCube::id).toList(),
                "an edit does not move a cube to the end; a deleted cube is not in its session");
        assertEquals(List.of(third.id()), transactions.inTransaction(() -> cubes.sessionForSystem(space, "s-1", 1))
                .stream().map(MemCube::id).toList(), "the limit keeps the last created");
        assertEquals(List.of(), transactions.inTransaction(() -> cubes.sessionForSystem("elsewhere", "s-1", 10)));
    }

    @Test
    void concurrent_writes_with_one_idempotency_key_make_one_cube() throws Exception {
        int writers = 6;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        Set<CubeId> ids = new HashSet<>();
        try {
            List<Future<MemCube>> outcomes = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                outcomes.add(pool.submit(() -> {
                    go.await();
                    return kernel.write(alice, space, NewCube.text("racy", "fact").withIdempotencyKey("race")).cube();
                }));
            }
            go.countDown();
            for (Future<MemCube> outcome : outcomes) {
                ids.add(outcome.get().id());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, ids.size());
        assertEquals(1, kernel.list(alice, space, CubeQuery.firstPage()).items().size());
    }

    // --- listing

    @Test
    void list_filters_by_state_kind_tag_and_validity() {
        kernel.write(alice, space, NewCube.text("a", "fact").withTags(List.of("x")));
        MemCube event = kernel.write(alice, space, NewCube.text("b", "event").withTags(List.of("x", "y"))).cube();
        kernel.write(alice, space, NewCube.text("c", "fact").withValidity(null, Instant.parse("2020-01-01T00:00:00Z")));
        kernel.transition(alice, event.id(), LifecycleState.ACTIVATED, null);

        assertEquals(3, count(new CubeQuery(null, null, null, null, null, 50)));
        assertEquals(2, count(new CubeQuery(null, "fact", null, null, null, 50)));
        assertEquals(2, count(new CubeQuery(null, null, "x", null, null, 50)));
        assertEquals(1, count(new CubeQuery(null, null, "y", null, null, 50)));
        assertEquals(1, count(new CubeQuery(LifecycleState.ACTIVATED, null, null, null, null, 50)));
        assertEquals(2, count(new CubeQuery(null, null, null, Instant.parse("2024-01-01T00:00:00Z"), null, 50)));
        assertEquals(0, count(new CubeQuery(null, "fact", "y", null, null, 50)));
    }

    @Test
    void updated_tags_replace_the_old_ones_in_filters() {
        MemCube cube = kernel.write(alice, space, NewCube.text("tagged", "fact").withTags(List.of("old"))).cube();
        kernel.update(alice, cube.id(), 1, new CubePatch(null, null, List.of("new"), null, null, null, false, null, null, null));
        assertEquals(0, count(new CubeQuery(null, null, "old", null, null, 50)));
        assertEquals(1, count(new CubeQuery(null, null, "new", null, null, 50)));
    }

    @Test
    void cursor_paging_visits_every_cube_once_in_creation_order() {
        List<CubeId> written = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            written.add(write("cube " + i).id());
        }
        List<CubeId> seen = new ArrayList<>();
        CubeId after = null;
        int pages = 0;
        do {
            Page<MemCube> page = kernel.list(alice, space, new CubeQuery(null, null, null, null, after, 5));
            page.items().forEach(c -> seen.add(c.id()));
            after = page.nextCursor() == null ? null : CubeId.parse(page.nextCursor());
            pages++;
        } while (after != null);
        assertEquals(written, seen);
        assertEquals(5, pages);
    }
}
