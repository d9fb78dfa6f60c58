package dev.memos.testkit;

import dev.memos.kernel.CubePatch;
import dev.memos.kernel.MemoryKernel;
import dev.memos.kernel.NewCube;
import dev.memos.kernel.access.Role;
import dev.memos.kernel.error.ConflictException;
import dev.memos.kernel.error.ForbiddenException;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.error.NotFoundException;
import dev.memos.kernel.error.StaleVersionException;
import dev.memos.kernel.event.EventType;
import dev.memos.kernel.event.KernelEvent;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.Operation;
import dev.memos.kernel.model.Payload;
import dev.memos.kernel.model.Source;
import dev.memos.kernel.model.TextPayload;
import dev.memos.kernel.query.CubeQuery;
import dev.memos.kernel.spi.Outbox;
import dev.memos.kernel.testing.Backend;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writing, reading, versions and imports through the kernel, on every back end. */
public abstract class CubeWritesContract extends CubeStoreFixture {
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
}
