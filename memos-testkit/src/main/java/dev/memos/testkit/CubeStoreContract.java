package dev.memos.testkit;

import dev.memos.kernel.CubePatch;
import dev.memos.kernel.Directory;
import dev.memos.kernel.MemoryKernel;
import dev.memos.kernel.NewCube;
import dev.memos.kernel.access.Grant;
import dev.memos.kernel.access.Principal;
import dev.memos.kernel.access.Role;
import dev.memos.kernel.error.ConflictException;
import dev.memos.kernel.error.ForbiddenException;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.error.NotFoundException;
import dev.memos.kernel.error.StaleVersionException;
import dev.memos.kernel.error.UnauthenticatedException;
import dev.memos.kernel.event.EventType;
import dev.memos.kernel.event.KernelEvent;
import dev.memos.kernel.model.CubeHead;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.Operation;
import dev.memos.kernel.model.Payload;
import dev.memos.kernel.model.Source;
import dev.memos.kernel.model.TextPayload;
import dev.memos.kernel.query.CubeQuery;
import dev.memos.kernel.query.Page;
import dev.memos.kernel.search.Heat;
import dev.memos.kernel.spi.Outbox;
import dev.memos.kernel.testing.Backend;
import dev.memos.kernel.testing.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract every cube store honours, exercised through the kernel so that versioning,
 * lifecycle, tenancy and transactional outbox behave the same on every back end. Subclass it once
 * per back end and return that back end's stores from {@link #backend()}.
 */
public abstract class CubeStoreContract {
    protected final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    protected MemoryKernel kernel;
    protected Directory directory;
    protected Principal alice;
    protected Principal bob;
    protected String space;

    /** The stores under test. Tests share them; each test works in spaces and principals of its own. */
    protected abstract Backend backend();

    @BeforeEach
    protected void setUpKernel() {
        Backend b = backend();
        kernel = new MemoryKernel(b.cubes(), b.directory(), b.outbox(), b.transactions(), clock);
        directory = new Directory(b.directory(), b.cubes(), b.outbox(), b.transactions(), clock);
        Principal root = admin();
        alice = directory.createPrincipal(root, "alice", Principal.Kind.USER, false).principal();
        bob = directory.createPrincipal(root, "bob", Principal.Kind.AGENT, false).principal();
        space = "s-" + UUID.randomUUID().toString().substring(0, 8);
        directory.createSpace(alice, space, "alice's memory");
    }

    private Principal admin() {
        directory.bootstrapAdmin(null, key -> { });
        return backend().transactions().inTransaction(() -> backend().directory().firstAdmin()).orElseThrow();
    }

    private MemCube write(String text) {
        return kernel.write(alice, space, NewCube.text(text, "fact")).cube();
    }

    // --- importing a cube with its history

    @Test
    void an_imported_cube_keeps_its_id_versions_and_state_and_its_events_replay_its_history() {
        MemCube original = write("Bob lives in Paris");
        clock.advance(Duration.ofMinutes(1));
        kernel.update(alice, original.id(), 1, new CubePatch("Bob lives in Berlin", null, null, null, null, null, false,
                null, null, null));
        kernel.transition(alice, original.id(), LifecycleState.ACTIVATED, null);
        List<MemCube> history = kernel.history(alice, original.id());

        String target = "s-" + UUID.randomUUID().toString().substring(0, 8);
        directory.createSpace(bob, target, "bob's copy");
        // a new instance would not know the id: here the copy goes under a fresh one
        CubeId copyId = CubeId.next(clock);
        List<MemCube> copy = history.stream().map(v -> v.toBuilder().id(copyId).build()).toList();
        dev.memos.kernel.Imports.Result result = kernel.imports().importCube(bob, target, copy);
        assertTrue(result.imported());

        List<MemCube> imported = kernel.history(bob, copyId);
        assertEquals(2, imported.size());
        for (int i = 0; i < 2; i++) {
            MemCube want = history.get(i);
            MemCube got = imported.get(i);
            assertEquals(target, got.space());
            assertEquals(want.payload(), got.payload());
            assertEquals(want.provenance(), got.provenance());
            assertEquals(want.time(), got.time());
            assertEquals(want.governance(), got.governance());
        }
        assertEquals(LifecycleState.ACTIVATED, kernel.read(bob, copyId).state());
        List<dev.memos.kernel.event.KernelEvent> events = backend().eventsFor(copyId);
        assertEquals(List.of(EventType.CUBE_CREATED, EventType.CUBE_VERSIONED),
                events.stream().map(dev.memos.kernel.event.KernelEvent::type).toList());
        assertEquals(history.get(1).time().recordedAt(), events.get(1).occurredAt());
        assertEquals(alice.id(), events.get(1).actor());
        assertEquals("update", events.get(1).data().get("operation"));
        assertEquals(bob.id(), events.get(1).data().get("importedBy"));

        // importing it again changes nothing; the same id with another history is a conflict
        assertFalse(kernel.imports().importCube(bob, target, copy).imported());
        assertEquals(2, backend().eventsFor(copyId).size());
        assertThrows(ConflictException.class, () -> kernel.imports().importCube(bob, target, copy.subList(0, 1)));
    }

    @Test
    void an_id_taken_in_another_space_is_imported_under_a_new_id_whether_or_not_the_importer_may_read_it() {
        MemCube alices = write("Alice's secret plan");
        String mine = "s-" + UUID.randomUUID().toString().substring(0, 8);
        directory.createSpace(bob, mine, null);
        MemCube bobs = kernel.write(bob, mine, NewCube.text("Bob's own note", "fact")).cube();
        String target = "s-" + UUID.randomUUID().toString().substring(0, 8);
        directory.createSpace(bob, target, null);

        // an archive naming alice's id (unreadable to bob) and one naming bob's own (readable) are answered alike
        for (MemCube taken : List.of(alices, bobs)) {
            List<MemCube> archive = List.of(bobs.toBuilder().id(taken.id()).build());
            dev.memos.kernel.Imports.Result result = kernel.imports().importCube(bob, target, archive);
            assertTrue(result.imported());
            assertNotEquals(taken.id(), result.cube().id(), "the taken id is never overwritten nor named");
            assertEquals("Bob's own note", kernel.read(bob, result.cube().id()).text());
            // resuming the import finds the copy by its import key, changing nothing
            dev.memos.kernel.Imports.Result again = kernel.imports().importCube(bob, target, archive);
            assertFalse(again.imported());
            assertEquals(result.cube().id(), again.cube().id());
        }
        assertEquals("Alice's secret plan", kernel.read(alice, alices.id()).text());
        assertEquals(2, kernel.list(bob, target, CubeQuery.firstPage()).items().size());
    }

    @Test
    void an_import_needs_admin_on_the_space_and_a_whole_plaintext_history() {
        MemCube one = write("a note");
        List<MemCube> history = kernel.history(alice, one.id());
        String target = "s-" + UUID.randomUUID().toString().substring(0, 8);
        directory.createSpace(alice, target, null);
        directory.grant(alice, target, bob.id(), Role.WRITE);
        CubeId copyId = CubeId.next(clock);
        List<MemCube> copy = history.stream().map(v -> v.toBuilder().id(copyId).build()).toList();
        assertThrows(ForbiddenException.class, () -> kernel.imports().importCube(bob, target, copy));
        assertThrows(InvalidException.class, () -> kernel.imports().importCube(alice, target, List.of()));
        assertThrows(InvalidException.class, () -> kernel.imports().importCube(alice, target,
                List.of(copy.getFirst().toBuilder().version(2).build())));
        assertThrows(InvalidException.class, () -> kernel.imports().importCube(alice, target,
                List.of(copy.getFirst(), copy.getFirst().toBuilder().id(CubeId.next(clock)).version(2).build())));
        assertThrows(InvalidException.class, () -> kernel.imports().importCube(alice, target,
                List.of(copy.getFirst().toBuilder().state(LifecycleState.DELETED).payload(Payload.Purged.INSTANCE).build())));
        assertTrue(kernel.list(alice, target, CubeQuery.firstPage()).items().isEmpty(), "a refused import leaves nothing");
        assertTrue(backend().eventsFor(copyId).isEmpty());
    }

    // --- writing and reading

    @Test
    void write_then_read_returns_every_header_field() {
        Instant from = Instant.parse("2025-06-01T00:00:00Z");
        Instant expires = Instant.parse("2027-01-01T00:00:00Z");
        NewCube request = new NewCube("Alice prefers green tea", "preference", List.of("drinks", "tea"),
                Source.CONVERSATION, "msg-42", "session-7", from, null, expires, 5, Set.of("health"), "assistant", null);
        MemCube written = kernel.write(alice, space, request).cube();
        MemCube read = kernel.read(alice, written.id());

        assertEquals(written.id(), read.id());
        assertEquals(1, read.version());
        assertEquals(space, read.space());
        assertEquals(LifecycleState.GENERATED, read.state());
        assertEquals(new TextPayload("Alice prefers green tea", "preference", List.of("drinks", "tea")), read.payload());
        assertEquals(Source.CONVERSATION, read.provenance().source());
        assertEquals("msg-42", read.provenance().sourceRef());
        assertEquals("session-7", read.provenance().sessionId());
        assertEquals(alice.id(), read.provenance().actor());
        assertEquals(Operation.WRITE, read.provenance().operation());
        assertEquals(from, read.time().validFrom());
        assertNull(read.time().validTo());
        assertEquals(written.time().recordedAt().truncatedTo(ChronoUnit.MILLIS),
                read.time().recordedAt().truncatedTo(ChronoUnit.MILLIS));
        assertNull(read.time().supersededAt());
        assertEquals(alice.id(), read.governance().owner());
        assertEquals(expires, read.governance().expiresAt());
        assertEquals(5, read.governance().priority());
        assertEquals(Set.of("health"), read.governance().sensitivity());
        assertEquals("assistant", read.governance().purpose());
        assertEquals(0, read.usage().accessCount());
    }

    @Test
    void write_appends_its_event_to_the_outbox() {
        MemCube cube = write("the sky is blue");
        List<KernelEvent> events = backend().eventsFor(cube.id());
        assertEquals(1, events.size());
        assertEquals(EventType.CUBE_CREATED, events.getFirst().type());
        assertEquals(space, events.getFirst().space());
        assertEquals(1, events.getFirst().version());
        assertEquals(alice.id(), events.getFirst().actor());
    }

    @Test
    void a_failing_outbox_rolls_back_the_whole_write() {
        Backend b = backend();
        Outbox broken = new Outbox() {
            @Override
            public void append(dev.memos.kernel.event.KernelEvent event) {
                throw new IllegalStateException("outbox down");
            }

            @Override
            public void scrub(CubeId cube) {
                throw new IllegalStateException("outbox down");
            }

            @Override
            public void forgetSpace(String space) {
                throw new IllegalStateException("outbox down");
            }
        };
        MemoryKernel failing = new MemoryKernel(b.cubes(), b.directory(), broken, b.transactions(), clock);
        assertThrows(IllegalStateException.class,
                () -> failing.write(alice, space, NewCube.text("lost?", "fact").withIdempotencyKey("k-rollback")));
        assertTrue(kernel.list(alice, space, CubeQuery.firstPage()).items().isEmpty(), "no cube row may survive");

        MemCube cube = write("version one");
        assertThrows(IllegalStateException.class, () -> failing.update(alice, cube.id(), 1, CubePatch.text("two")));
        MemCube after = kernel.read(alice, cube.id());
        assertEquals(1, after.version(), "no version row may survive");
        assertEquals("version one", after.text());
        assertEquals(1, kernel.history(alice, cube.id()).size());
        assertNull(after.time().supersededAt());
    }

    // --- versioning

    @Test
    void update_makes_a_new_version_and_keeps_the_old_one_readable() {
        MemCube v1 = write("Bob lives in Paris");
        clock.advance(Duration.ofMinutes(5));
        MemCube v2 = kernel.update(alice, v1.id(), 1, CubePatch.text("Bob lives in Berlin"));

        assertEquals(2, v2.version());
        assertEquals(v1.id(), v2.id());
        assertEquals(Operation.UPDATE, v2.provenance().operation());
        assertEquals("Bob lives in Berlin", kernel.read(alice, v1.id()).text());
        MemCube old = kernel.readVersion(alice, v1.id(), 1);
        assertEquals("Bob lives in Paris", old.text());
        assertNotNull(old.time().supersededAt(), "the replaced version is stamped superseded");
        assertEquals(v2.time().recordedAt().truncatedTo(ChronoUnit.MILLIS),
                old.time().supersededAt().truncatedTo(ChronoUnit.MILLIS));

        List<MemCube> history = kernel.history(alice, v1.id());
        assertEquals(List.of(1, 2), history.stream().map(MemCube::version).toList());
        assertEquals(List.of(EventType.CUBE_CREATED, EventType.CUBE_VERSIONED),
                backend().eventsFor(v1.id()).stream().map(KernelEvent::type).toList());
        assertThrows(NotFoundException.class, () -> kernel.readVersion(alice, v1.id(), 3));
    }

    @Test
    void update_with_a_stale_version_is_rejected_and_changes_nothing() {
        MemCube v1 = write("one");
        kernel.update(alice, v1.id(), 1, CubePatch.text("two"));
        StaleVersionException stale = assertThrows(StaleVersionException.class,
                () -> kernel.update(alice, v1.id(), 1, CubePatch.text("three")));
        assertEquals(2, stale.actual());
        assertEquals("two", kernel.read(alice, v1.id()).text());
    }

    @Test
    void concurrent_updates_expecting_the_same_version_let_exactly_one_win() throws Exception {
        MemCube v1 = write("start");
        int writers = 6;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Boolean>> outcomes = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String text = "writer " + i;
                Callable<Boolean> attempt = () -> {
                    go.await();
                    try {
                        kernel.update(alice, v1.id(), 1, CubePatch.text(text));
                        return true;
                    } catch (ConflictException lost) {
                        return false;
                    }
                };
                outcomes.add(pool.submit(attempt));
            }
            go.countDown();
            int wins = 0;
            for (Future<Boolean> outcome : outcomes) {
                wins += outcome.get() ? 1 : 0;
            }
            assertEquals(1, wins);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, kernel.read(alice, v1.id()).version());
        assertEquals(2, kernel.history(alice, v1.id()).size());
    }

    @Test
    void rollback_creates_a_new_version_with_the_old_payload() {
        MemCube v1 = write("original");
        kernel.update(alice, v1.id(), 1, CubePatch.text("edited"));
        kernel.update(alice, v1.id(), 2, CubePatch.text("edited again"));
        MemCube v4 = kernel.rollback(alice, v1.id(), 1, 3);

        assertEquals(4, v4.version());
        assertEquals("original", v4.text());
        assertEquals(Operation.ROLLBACK, v4.provenance().operation());
        assertEquals("original", kernel.read(alice, v1.id()).text());
        assertEquals("edited again", kernel.readVersion(alice, v1.id(), 3).text());
        assertThrows(StaleVersionException.class, () -> kernel.rollback(alice, v1.id(), 1, 3));
        assertThrows(InvalidException.class, () -> kernel.rollback(alice, v1.id(), 4, null));
    }

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

    private Map<CubeId, MemCube> asOf(Instant at, String kind, String tag) {
        return asOf(at, kind, tag, null, alice);
    }

    private Map<CubeId, MemCube> asOf(Instant at, String kind, String tag, Instant validAt, Principal who) {
        Backend b = backend();
        Map<CubeId, MemCube> found = new java.util.LinkedHashMap<>();
        b.transactions().inTransaction(() -> b.cubes().list(space, who.id(),
                new CubeQuery(null, kind, tag, validAt, null, 50, at))).items().forEach(c -> found.put(c.id(), c));
        return found;
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

    private int count(CubeQuery query) {
        return kernel.list(alice, space, query).items().size();
    }

    // --- tenancy

    @Test
    void a_principal_without_a_grant_cannot_reach_a_cube_by_any_operation() {
        MemCube cube = write("alice only");
        CubeId id = cube.id();
        assertThrows(NotFoundException.class, () -> kernel.read(bob, id));
        assertThrows(NotFoundException.class, () -> kernel.readVersion(bob, id, 1));
        assertThrows(NotFoundException.class, () -> kernel.history(bob, id));
        assertThrows(NotFoundException.class, () -> kernel.update(bob, id, 1, CubePatch.text("mine")));
        assertThrows(NotFoundException.class, () -> kernel.rollback(bob, id, 1, null));
        assertThrows(NotFoundException.class, () -> kernel.transition(bob, id, LifecycleState.ACTIVATED, null));
        assertThrows(NotFoundException.class, () -> kernel.invalidate(bob, id, null, null));
        assertThrows(NotFoundException.class, () -> kernel.delete(bob, id, null));
        assertThrows(NotFoundException.class, () -> kernel.list(bob, space, CubeQuery.firstPage()));
        assertThrows(NotFoundException.class, () -> kernel.write(bob, space, NewCube.text("x", "fact")));
        assertThrows(NotFoundException.class, () -> directory.space(bob, space));
        assertFalse(directory.spaces(bob).stream().anyMatch(v -> v.space().name().equals(space)));
        assertEquals("alice only", kernel.read(alice, id).text());
        assertEquals(1, kernel.read(alice, id).version());
    }

    @Test
    void the_store_itself_refuses_a_principal_without_a_grant() {
        MemCube cube = write("guarded in the query");
        Backend b = backend();
        b.transactions().inTransaction(() -> {
            assertTrue(b.cubes().find(cube.id(), bob.id(), Role.READ).isEmpty());
            assertTrue(b.cubes().findVersion(cube.id(), 1, bob.id()).isEmpty());
            assertTrue(b.cubes().versions(cube.id(), bob.id()).isEmpty());
            assertTrue(b.cubes().list(space, bob.id(), CubeQuery.firstPage()).items().isEmpty());
            return null;
        });
        MemCube forged = cube.toBuilder().version(2).payload(new TextPayload("forged", "fact", List.of())).build();
        assertThrows(RuntimeException.class,
                () -> b.transactions().inTransaction(() -> {
                    b.cubes().appendVersion(forged, bob.id());
                    return null;
                }));
        assertThrows(RuntimeException.class,
                () -> b.transactions().inTransaction(() -> {
                    b.cubes().tombstone(cube.id(), LifecycleState.GENERATED, clock.instant(), bob.id());
                    return null;
                }));
        assertEquals("guarded in the query", kernel.read(alice, cube.id()).text());
        assertEquals(LifecycleState.GENERATED, kernel.read(alice, cube.id()).state());
    }

    @Test
    void a_reader_may_read_but_not_write() {
        MemCube cube = write("shared");
        directory.grant(alice, space, bob.id(), Role.READ);
        assertEquals("shared", kernel.read(bob, cube.id()).text());
        assertEquals(1, kernel.list(bob, space, CubeQuery.firstPage()).items().size());
        assertThrows(ForbiddenException.class, () -> kernel.update(bob, cube.id(), 1, CubePatch.text("no")));
        assertThrows(ForbiddenException.class, () -> kernel.delete(bob, cube.id(), null));
        assertThrows(ForbiddenException.class, () -> kernel.write(bob, space, NewCube.text("no", "fact")));
        assertThrows(ForbiddenException.class, () -> directory.grant(bob, space, bob.id(), Role.ADMIN));

        directory.grant(alice, space, bob.id(), Role.WRITE);
        assertEquals(2, kernel.update(bob, cube.id(), 1, CubePatch.text("yes")).version());
        directory.revoke(alice, space, bob.id());
        assertThrows(NotFoundException.class, () -> kernel.read(bob, cube.id()));
    }

    // --- purpose- and sensitivity-bound grants

    private MemCube write(String text, Set<String> labels, String purpose) {
        return kernel.write(alice, space, NewCube.text(text, "fact").withGovernance(labels, purpose)).cube();
    }

    /** What bob reaches of these cubes through every read the store offers. */
    private Set<CubeId> reachable(Principal who, List<MemCube> cubes) {
        Backend b = backend();
        List<CubeId> ids = cubes.stream().map(MemCube::id).toList();
        return b.transactions().inTransaction(() -> {
            Set<CubeId> byId = new HashSet<>();
            for (MemCube cube : cubes) {
                boolean found = b.cubes().find(cube.id(), who.id(), Role.READ).isPresent();
                assertEquals(found, b.cubes().findVersion(cube.id(), 1, who.id()).isPresent(), "findVersion agrees");
                assertEquals(found, !b.cubes().versions(cube.id(), who.id()).isEmpty(), "versions agree");
                if (found) {
                    byId.add(cube.id());
                }
            }
            assertEquals(byId, b.cubes().findAll(ids, who.id()).keySet(), "findAll agrees");
            assertEquals(byId, b.cubes().findHeads(ids, who.id()).keySet(), "findHeads agrees");
            Set<CubeId> listed = new HashSet<>();
            b.cubes().list(space, who.id(), CubeQuery.firstPage()).items().forEach(c -> listed.add(c.id()));
            listed.retainAll(ids);
            assertEquals(byId, listed, "list agrees");
            return byId;
        });
    }

    @Test
    void a_labelled_cube_reaches_only_grants_cleared_for_each_of_its_labels() {
        MemCube plain = write("the weather was fine", Set.of(), null);
        MemCube health = write("takes insulin", Set.of("health"), null);
        MemCube email = write("mail is a@example.org", Set.of("pii.email"), null);
        MemCube both = write("the doctor's email", Set.of("health", "pii.email"), null);
        List<MemCube> all = List.of(plain, health, email, both);
        assertEquals(Set.copyOf(all.stream().map(MemCube::id).toList()), reachable(alice, all), "the creator holds *");

        directory.grant(alice, space, bob.id(), Role.READ);
        assertEquals(Set.of(plain.id()), reachable(bob, all), "a new READ grant is cleared for nothing");
        assertThrows(NotFoundException.class, () -> kernel.read(bob, health.id()), "as if it did not exist");

        directory.grant(alice, space, bob.id(), Role.READ, Set.of("pii"), null);
        assertEquals(Set.of(plain.id(), email.id()), reachable(bob, all), "pii clears pii.email");
        directory.grant(alice, space, bob.id(), Role.READ, Set.of("pii.email", "health"), null);
        assertEquals(Set.copyOf(all.stream().map(MemCube::id).toList()), reachable(bob, all));
        directory.grant(alice, space, bob.id(), Role.READ, Set.of("pii.phone", "healthy"), null);
        assertEquals(Set.of(plain.id()), reachable(bob, all), "neither a sibling nor a longer name clears a label");
        directory.grant(alice, space, bob.id(), Role.READ, Set.of(Grant.ALL), null);
        assertEquals(Set.copyOf(all.stream().map(MemCube::id).toList()), reachable(bob, all));
    }

    @Test
    void a_label_of_an_earlier_version_still_needs_its_clearance_and_an_owner_always_reaches_its_cubes() {
        MemCube once = write("was sensitive", Set.of("health"), null);
        kernel.update(alice, once.id(), 1, new CubePatch("no longer", null, null, null, null, null, false, null,
                Set.of(), null));
        directory.grant(alice, space, bob.id(), Role.WRITE);
        assertEquals(Set.of(), reachable(bob, List.of(once)), "version 1 carried health");
        assertThrows(NotFoundException.class, () -> kernel.update(bob, once.id(), 2, CubePatch.text("overwrite")),
                "a writer cannot change what it cannot read");

        MemCube own = kernel.write(bob, space, NewCube.text("bob's own diagnosis", "fact")
                .withGovernance(Set.of("health"), null)).cube();
        assertEquals(Set.of(own.id()), reachable(bob, List.of(once, own)), "the owner reads its own cube");
        assertEquals(2, kernel.update(bob, own.id(), 1, CubePatch.text("bob's own, revised")).version());
    }

    @Test
    void a_purpose_bound_grant_reaches_only_cubes_whose_every_version_serves_one_of_its_purposes() {
        MemCube support = write("ticket 42 is open", Set.of(), "support");
        MemCube marketing = write("likes red shoes", Set.of(), "marketing");
        MemCube none = write("no purpose given", Set.of(), null);
        MemCube moved = write("was for support", Set.of(), "support");
        kernel.update(alice, moved.id(), 1, new CubePatch("now for marketing", null, null, null, null, null, false,
                null, null, "marketing"));
        List<MemCube> all = List.of(support, marketing, none, moved);

        directory.grant(alice, space, bob.id(), Role.READ, null, Set.of("support"));
        assertEquals(Set.of(support.id()), reachable(bob, all), "without a purpose a cube serves no bound grant");
        directory.grant(alice, space, bob.id(), Role.READ, null, Set.of("support", "marketing"));
        assertEquals(Set.of(support.id(), marketing.id(), moved.id()), reachable(bob, all));
        directory.grant(alice, space, bob.id(), Role.READ);
        assertEquals(Set.copyOf(all.stream().map(MemCube::id).toList()), reachable(bob, all), "an unbound grant");
    }

    @Test
    void grants_keep_their_clearances_and_purposes_and_an_admin_grant_is_cleared_for_all_by_default() {
        directory.grant(alice, space, bob.id(), Role.READ, Set.of("health", "pii"), Set.of("support"));
        Grant read = directory.grants(alice, space).stream().filter(g -> g.principalId().equals(bob.id())).findFirst()
                .orElseThrow();
        assertEquals(Set.of("health", "pii"), read.clearances());
        assertEquals(Set.of("support"), read.purposes());
        directory.grant(alice, space, bob.id(), Role.ADMIN);
        Grant admin = directory.grants(alice, space).stream().filter(g -> g.principalId().equals(bob.id())).findFirst()
                .orElseThrow();
        assertEquals(Set.of(Grant.ALL), admin.clearances());
        assertEquals(Set.of(), admin.purposes());
        assertEquals(Set.of(Grant.ALL), directory.grants(alice, space).stream()
                .filter(g -> g.principalId().equals(alice.id())).findFirst().orElseThrow().clearances());
        assertThrows(InvalidException.class,
                () -> directory.grant(alice, space, bob.id(), Role.READ, null, Set.of("*")), "* is no purpose");
        assertThrows(InvalidException.class,
                () -> directory.grant(alice, space, bob.id(), Role.READ, Set.of("bad label!"), null));
    }

    // --- data subjects

    @Test
    void cubes_about_a_subject_are_found_in_every_space_the_principal_administers_and_nowhere_else() {
        String second = "s-" + UUID.randomUUID().toString().substring(0, 8);
        directory.createSpace(alice, second, null);
        String bobs = "s-" + UUID.randomUUID().toString().substring(0, 8);
        directory.createSpace(bob, bobs, null);
        MemCube here = kernel.write(alice, space, NewCube.text("Erin likes tea", "fact").withSubject("Erin")).cube();
        MemCube there = kernel.write(alice, second, NewCube.text("Erin moved", "fact").withSubject(" Erin ")).cube();
        MemCube renamed = kernel.write(alice, space, NewCube.text("Erin's cat", "fact").withSubject("Erin")).cube();
        kernel.update(alice, renamed.id(), 1, new CubePatch(null, null, null, null, null, null, false, null, null, null,
                "Erin's cat"));
        MemCube other = kernel.write(alice, space, NewCube.text("Finn likes coffee", "fact").withSubject("Finn")).cube();
        MemCube gone = kernel.write(alice, space, NewCube.text("Erin's old address", "fact").withSubject("Erin")).cube();
        kernel.delete(alice, gone.id(), null);
        MemCube bobsOwn = kernel.write(bob, bobs, NewCube.text("Erin again", "fact").withSubject("Erin")).cube();
        directory.grant(alice, space, bob.id(), Role.READ, Set.of(Grant.ALL), null);

        Backend b = backend();
        List<CubeId> forAlice = b.transactions().inTransaction(() -> b.cubes().findBySubject("Erin", alice.id(),
                Role.ADMIN, null, 50)).stream().map(MemCube::id).toList();
        assertEquals(List.of(here.id(), there.id(), renamed.id()).stream().sorted().toList(), forAlice,
                "every version counts, the subject is trimmed, tombstones and other subjects are not found");
        assertEquals("Erin's cat", b.transactions().inTransaction(() -> b.cubes().findBySubject("Erin", alice.id(),
                Role.ADMIN, null, 50)).stream().filter(c -> c.id().equals(renamed.id())).findFirst().orElseThrow()
                .governance().subject(), "the live version is returned");
        assertEquals(List.of(bobsOwn.id()), b.transactions().inTransaction(() -> b.cubes().findBySubject("Erin", bob.id(),
                Role.ADMIN, null, 50)).stream().map(MemCube::id).toList(), "a READ grant is not administration");
        assertEquals(List.of(other.id()), b.transactions().inTransaction(() -> b.cubes().findBySubject("Finn", alice.id(),
                Role.ADMIN, null, 50)).stream().map(MemCube::id).toList());
        List<CubeId> paged = new ArrayList<>();
        CubeId after = null;
        do {
            CubeId from = after;
            List<MemCube> page = b.transactions().inTransaction(() -> b.cubes().findBySubject("Erin", alice.id(),
                    Role.ADMIN, from, 1));
            page.forEach(c -> paged.add(c.id()));
            after = page.isEmpty() ? null : page.getLast().id();
        } while (after != null);
        assertEquals(forAlice, paged, "pages by id");
        assertThrows(InvalidException.class, () -> NewCube.text("x", "fact").withSubject("bad\u0000subject"));
    }

    // --- batch and system reads, usage

    @Test
    void find_all_returns_only_what_the_principal_may_read() {
        MemCube mine = write("mine");
        String other = "o-" + UUID.randomUUID().toString().substring(0, 8);
        directory.createSpace(bob, other, null);
        MemCube theirs = kernel.write(bob, other, NewCube.text("theirs", "fact")).cube();
        Backend b = backend();
        var found = b.transactions().inTransaction(() -> b.cubes().findAll(List.of(mine.id(), theirs.id()), alice.id()));
        assertEquals(Set.of(mine.id()), found.keySet());
        assertEquals("mine", found.get(mine.id()).text());
        assertEquals("theirs", b.transactions().inTransaction(() -> b.cubes().findForSystem(theirs.id())).orElseThrow().text());
    }

    @Test
    void heads_agree_with_the_live_versions_after_updates_invalidation_transitions_and_use() {
        MemCube written = kernel.write(alice, space, NewCube.text("written", "fact")
                .withValidity(Instant.parse("2020-01-01T00:00:00Z"), null)).cube();
        MemCube updated = write("updated");
        clock.advance(Duration.ofMinutes(5));
        kernel.update(alice, updated.id(), 1, CubePatch.text("updated again"));
        MemCube ended = write("ended");
        kernel.invalidate(alice, ended.id(), Instant.parse("2025-03-01T00:00:00Z"), "contradicted");
        MemCube moved = write("moved");
        kernel.transition(alice, moved.id(), LifecycleState.FROZEN, "keep");
        MemCube used = write("used");
        String other = "o-" + UUID.randomUUID().toString().substring(0, 8);
        directory.createSpace(bob, other, null);
        MemCube theirs = kernel.write(bob, other, NewCube.text("theirs", "fact")).cube();
        Backend b = backend();
        b.transactions().inTransaction(() -> {
            b.usage().recordUsage(Map.of(used.id(), 3L), clock.instant(), new Heat(Duration.ofDays(7), true));
            return null;
        });

        List<CubeId> ids = List.of(written.id(), updated.id(), ended.id(), moved.id(), used.id(), theirs.id());
        var heads = b.transactions().inTransaction(() -> b.cubes().findHeads(ids, alice.id()));
        var live = b.transactions().inTransaction(() -> b.cubes().findAll(ids, alice.id()));
        assertEquals(Set.copyOf(ids.subList(0, 5)), heads.keySet(), "only what alice may read");
        live.forEach((id, cube) -> assertEquals(CubeHead.of(cube), heads.get(id), cube.text()));
        assertEquals(2, heads.get(updated.id()).version());
        assertTrue(heads.get(updated.id()).recordedAt().isAfter(updated.time().recordedAt()), "the live version's recording time");
        assertEquals(Instant.parse("2025-03-01T00:00:00Z"), heads.get(ended.id()).validTo());
        assertEquals(LifecycleState.FROZEN, heads.get(moved.id()).state());
        assertEquals(3, heads.get(used.id()).usage().accessCount());
    }

    @Test
    void usage_accumulates_and_heat_halves_every_half_life() {
        MemCube cube = write("popular");
        Backend b = backend();
        Instant t0 = Instant.parse("2026-02-01T00:00:00Z");
        Duration halfLife = Duration.ofDays(7);
        Heat plain = new Heat(halfLife, false);
        b.transactions().inTransaction(() -> {
            b.usage().recordUsage(Map.of(cube.id(), 2L), t0, plain);
            return null;
        });
        b.transactions().inTransaction(() -> {
            b.usage().recordUsage(Map.of(cube.id(), 1L), t0.plus(halfLife), plain);
            return null;
        });
        MemCube read = kernel.read(alice, cube.id());
        assertEquals(3, read.usage().accessCount());
        assertEquals(t0.plus(halfLife), read.usage().lastAccessedAt());
        assertEquals(2.0, read.usage().heat(), 1e-9);
        assertEquals(2, kernel.update(alice, cube.id(), 1, CubePatch.text("still versioned")).version(),
                "usage updates never move the version");
    }

    @Test
    void scan_for_system_visits_every_cube_once() {
        write("s1");
        write("s2");
        Backend b = backend();
        Set<CubeId> seen = new HashSet<>();
        CubeId after = null;
        do {
            CubeId from = after;
            Page<MemCube> page = b.transactions().inTransaction(() -> b.cubes().scanForSystem(from, 7));
            page.items().forEach(c -> assertTrue(seen.add(c.id()), "seen twice: " + c.id()));
            after = page.nextCursor() == null ? null : CubeId.parse(page.nextCursor());
        } while (after != null);
        assertTrue(seen.size() >= 2);
    }

    // --- spaces, grants, keys

    @Test
    void a_space_keeps_its_last_administrator() {
        assertThrows(ConflictException.class, () -> directory.grant(alice, space, alice.id(), Role.READ));
        assertThrows(ConflictException.class, () -> directory.revoke(alice, space, alice.id()));
        directory.grant(alice, space, bob.id(), Role.ADMIN);
        directory.grant(alice, space, alice.id(), Role.READ);
        assertEquals(Role.READ, directory.space(alice, space).role());
    }

    @Test
    void space_names_are_unique() {
        assertThrows(ConflictException.class, () -> directory.createSpace(bob, space, "squat"));
    }

    @Test
    void deleting_a_space_with_cubes_needs_force_and_removes_them() {
        MemCube cube = write("doomed");
        assertThrows(ConflictException.class, () -> directory.deleteSpace(alice, space, false));
        assertEquals("doomed", kernel.read(alice, cube.id()).text());
        directory.deleteSpace(alice, space, true);
        assertThrows(NotFoundException.class, () -> kernel.read(alice, cube.id()));
        assertThrows(NotFoundException.class, () -> directory.space(alice, space));
        assertTrue(backend().transactions().inTransaction(() -> backend().cubes().countLive(space)) == 0);
    }

    @Test
    void api_keys_authenticate_their_principal_only() {
        Directory.IssuedKey issued = directory.createPrincipal(admin(), "carol", Principal.Kind.AGENT, false);
        assertEquals(issued.principal().id(), directory.authenticate(issued.apiKey()).id());
        assertThrows(UnauthenticatedException.class, () -> directory.authenticate(issued.apiKey() + "x"));
        assertThrows(UnauthenticatedException.class, () -> directory.authenticate(""));
        assertThrows(ForbiddenException.class,
                () -> directory.createPrincipal(issued.principal(), "mallory", Principal.Kind.USER, true));
    }

    // --- for memos' own policies

    @Test
    void system_queries_find_expired_and_idle_cubes_and_system_moves_need_no_grant() {
        Instant now = clock.instant();
        MemCube expired = kernel.write(alice, space, new NewCube("expired note", "fact", null, null, null, null, null,
                null, now.plusSeconds(60), null, null, null, null)).cube();
        MemCube expiresLater = kernel.write(alice, space, new NewCube("later note", "fact", null, null, null, null, null,
                null, now.plusSeconds(3_600), null, null, null, null)).cube();
        MemCube idle = kernel.transition(alice, write("idle note").id(), LifecycleState.ACTIVATED, null);
        MemCube used = kernel.transition(alice, write("used note").id(), LifecycleState.ACTIVATED, null);
        clock.advance(Duration.ofMinutes(10));
        Instant later = clock.instant();
        backend().transactions().inTransaction(() -> {
            backend().usage().recordUsage(Map.of(used.id(), 1L), later, new Heat(Duration.ofDays(7), false));
            return null;
        });
        Set<LifecycleState> deletable = Set.of(LifecycleState.GENERATED, LifecycleState.ACTIVATED, LifecycleState.ARCHIVED);

        List<MemCube> due = backend().transactions().inTransaction(() ->
                backend().policies().findExpired(deletable, later, 1_000)).stream().filter(c -> c.space().equals(space)).toList();
        assertEquals(List.of(expired.id()), due.stream().map(MemCube::id).toList());
        List<MemCube> cold = backend().transactions().inTransaction(() ->
                backend().policies().findIdle(LifecycleState.ACTIVATED, later.minusSeconds(1), 1_000))
                .stream().filter(c -> c.space().equals(space)).toList();
        assertEquals(List.of(idle.id()), cold.stream().map(MemCube::id).toList(), "the used cube is not idle");

        backend().transactions().inTransaction(() -> {
            backend().cubes().moveForSystem(expired.id(), LifecycleState.GENERATED, LifecycleState.DELETED, later);
            backend().cubes().moveForSystem(idle.id(), LifecycleState.ACTIVATED, LifecycleState.ARCHIVED, later);
            return null;
        });
        MemCube tombstone = backend().transactions().inTransaction(() -> backend().cubes().findForSystem(expired.id()))
                .orElseThrow();
        assertEquals(LifecycleState.DELETED, tombstone.state());
        assertInstanceOf(Payload.Purged.class, tombstone.payload());
        assertEquals(LifecycleState.ARCHIVED, kernel.read(alice, idle.id()).state());
        assertEquals(LifecycleState.GENERATED, kernel.read(alice, expiresLater.id()).state());
        assertThrows(ConflictException.class, () -> backend().transactions().inTransaction(() -> {
            backend().cubes().moveForSystem(idle.id(), LifecycleState.ACTIVATED, LifecycleState.ARCHIVED, later);
            return null;
        }), "a move from a state the cube has left is a conflict");
    }

    @Test
    void recalls_postpone_idleness_along_the_forgetting_curve() {
        Heat heat = new Heat(Duration.ofDays(7), true);
        MemCube once = kernel.transition(alice, write("recalled once").id(), LifecycleState.ACTIVATED, null);
        MemCube often = kernel.transition(alice, write("recalled seven times").id(), LifecycleState.ACTIVATED, null);
        Instant at = clock.instant();
        backend().transactions().inTransaction(() -> {
            backend().usage().recordUsage(Map.of(once.id(), 1L, often.id(), 3L), at, heat);
            return null;
        });
        backend().transactions().inTransaction(() -> {
            backend().usage().recordUsage(Map.of(often.id(), 4L), at, heat);
            return null;
        });
        java.util.function.Function<Instant, List<CubeId>> idleBefore = before -> backend().transactions().inTransaction(() ->
                backend().policies().findIdle(LifecycleState.ACTIVATED, before, 1_000)).stream()
                .filter(c -> c.space().equals(space)).map(MemCube::id).toList();
        // strength 2 after one recall: idle from one half-life after the access; 4 after seven: from three
        assertEquals(List.of(), idleBefore.apply(at.plus(Duration.ofDays(7))));
        assertEquals(List.of(once.id()), idleBefore.apply(at.plus(Duration.ofDays(7)).plusSeconds(1)));
        assertEquals(List.of(once.id()), idleBefore.apply(at.plus(Duration.ofDays(21))));
        assertEquals(List.of(once.id(), often.id()), idleBefore.apply(at.plus(Duration.ofDays(21)).plusSeconds(1)),
                "longest idle first");
        MemCube read = kernel.read(alice, often.id());
        assertEquals(7, read.usage().accessCount());
    }

    @Test
    void duplicate_groups_are_found_per_space_and_consolidation_fuses_them() {
        MemCube first = write("the printer is on floor 3");
        MemCube second = write("the printer is on floor 3");
        MemCube third = kernel.transition(alice, write("the printer is on floor 3").id(), LifecycleState.ACTIVATED, null);
        write("the printer is on floor 4");
        Set<LifecycleState> mergeable = Set.of(LifecycleState.GENERATED, LifecycleState.ACTIVATED);
        Set<CubeId> mine = Set.of(first.id(), second.id(), third.id());

        List<List<CubeId>> groups = backend().transactions().inTransaction(() ->
                backend().policies().findDuplicateGroups(mergeable, 10_000)).stream()
                .filter(g -> mine.contains(g.getFirst())).toList();
        assertEquals(List.of(List.of(first.id(), second.id(), third.id())), groups);

        MemCube fused = kernel.decisions().consolidate(groups.getFirst(), new dev.memos.kernel.event.Decision("consolidation",
                "the same text in 3 cubes", Map.of())).orElseThrow();
        assertEquals(List.of(first.id(), second.id(), third.id()), kernel.read(alice, fused.id()).provenance().derivedFrom());
        assertEquals(Operation.MERGE, kernel.read(alice, fused.id()).provenance().operation());
        assertEquals(LifecycleState.MERGED, kernel.read(alice, first.id()).state());
        assertEquals(LifecycleState.MERGED, kernel.read(alice, third.id()).state());
        assertTrue(backend().transactions().inTransaction(() -> backend().policies().findDuplicateGroups(mergeable, 10_000))
                .stream().noneMatch(g -> g.contains(first.id()) || g.contains(fused.id())), "nothing left to fuse");
    }
}
