package dev.memos.cubes.store.sql;

import dev.memos.kernel.Directory;
import dev.memos.kernel.Erasures;
import dev.memos.kernel.MemoryKernel;
import dev.memos.kernel.NewCube;
import dev.memos.kernel.access.Principal;
import dev.memos.kernel.erasure.Erasure;
import dev.memos.kernel.erasure.ErasureProbes;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.error.LostRaceException;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.spi.Transactions;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The erasure store on a database: requests round-trip, residue is found by querying, free space is reclaimed. */
abstract class ErasureStoreChecks {
    @Inject
    SqlBackend backend;
    @Inject
    SqlErasureStore store;
    @Inject
    SqlAuditLog audit;

    private MemoryKernel kernel;
    private Directory directory;
    private Erasures erasures;
    private Principal alice;
    private String space;

    @BeforeEach
    void setUp() {
        Clock clock = Clock.systemUTC();
        kernel = new MemoryKernel(backend.cubes(), backend.directory(), backend.outbox(), backend.transactions(), clock);
        directory = new Directory(backend.directory(), backend.cubes(), backend.outbox(),
                backend.transactions(), clock, audit);
        erasures = new Erasures(kernel, directory, backend.cubes(), backend.directory(), backend.outbox(), store,
                new ErasureProbes(), backend.transactions(), clock, Duration.ofSeconds(60), audit);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        alice = new Principal("alice-" + suffix, "alice", Principal.Kind.USER, false, Instant.now());
        backend.transactions().inTransaction(() -> {
            backend.directory().insertPrincipal(alice, "hash-" + suffix);
            return null;
        });
        space = directory.createSpace(alice, "erasure-" + suffix, null).space().name();
    }

    private MemCube write(String text) {
        return kernel.write(alice, space, NewCube.text(text, "fact")).cube();
    }

    @Test
    void a_request_round_trips_with_its_cubes_and_checks() {
        MemCube source = write("the source of everything");
        MemCube derived = kernel.write(alice, space, new NewCube("derived from the source", "fact", null, null, null,
                null, null, null, null, null, null, null, null, List.of(source.id()))).cube();
        Erasure request = erasures.eraseCube(alice, source.id(), false, "asked");
        assertEquals(List.of(source.id()), request.cubes());
        assertEquals(List.of(derived.id()), request.derivedKept());
        Erasure found = backend.transactions().inTransaction(() -> store.find(request.id())).orElseThrow();
        assertEquals(request, found.completed(Erasure.Status.PENDING, null, List.of()));
        assertTrue(backend.transactions().inTransaction(() -> store.pending(1000)).stream()
                .anyMatch(e -> e.id().equals(request.id())));

        Erasure done = request.completed(Erasure.Status.VERIFIED, Instant.now(),
                List.of(new Erasure.Check("database", "purged", "nothing left", true)));
        backend.transactions().inTransaction(() -> {
            store.complete(done);
            return null;
        });
        Erasure stored = backend.transactions().inTransaction(() -> store.find(request.id())).orElseThrow();
        assertEquals(Erasure.Status.VERIFIED, stored.status());
        assertEquals(done.checks(), stored.checks());
        assertEquals(List.of(request.id()), backend.transactions().inTransaction(() -> store.list(space, 10))
                .stream().map(Erasure::id).toList());
    }

    @Test
    void residue_is_found_by_querying_and_an_erased_cube_leaves_none() {
        MemCube live = write("still here, not erased");
        Erasure pretend = new Erasure(UUID.randomUUID(), Erasure.Scope.CUBE, live.id().toString(), space, alice.id(),
                Instant.now(), Instant.now(), false, List.of(live.id()), 1, List.of(), 0, Erasure.Status.PENDING, null,
                List.of());
        List<String> residue = backend.transactions().inTransaction(() -> store.residue(pretend));
        assertTrue(residue.stream().anyMatch(r -> r.contains("versions still hold content")), residue.toString());
        assertTrue(residue.stream().anyMatch(r -> r.contains("not DELETED")), residue.toString());

        MemCube doomed = write("to be erased with a reason");
        kernel.transition(alice, doomed.id(), dev.memos.kernel.model.LifecycleState.ACTIVATED, "a free-text reason");
        Erasure erased = erasures.eraseCube(alice, doomed.id(), false, "another reason");
        assertEquals(List.of(), backend.transactions().inTransaction(() -> store.residue(erased)));
        assertTrue(backend.eventsFor(doomed.id()).stream().noneMatch(e -> e.data().containsKey("reason")));
    }

    @Test
    void a_space_erasure_leaves_no_rows_and_no_events_but_its_deletion() {
        write("a note of the space");
        Erasure erased = erasures.eraseSpace(alice, space, true, null);
        assertEquals(1, erased.cubeCount());
        assertEquals(List.of(), backend.transactions().inTransaction(() -> store.residue(erased)));
    }

    @Test
    void fragments_held_by_texts_that_were_not_erased_are_named_and_like_patterns_are_escaped() {
        write("100% of the_notes stay");
        Set<String> held = backend.transactions().inTransaction(() -> store.heldElsewhere(
                List.of("100% of the_notes", "100% of theXnotes", "1000 of the_notes", "never written anywhere")));
        assertEquals(Set.of("100% of the_notes"), held);
    }

    @Test
    void an_erasure_whose_transaction_loses_a_race_runs_again_whole_and_is_written_once() {
        String subject = "Quillon Varastre";
        MemCube about = kernel.write(alice, space, NewCube.text("Quillon keeps the velmorant ledger", "fact")
                .withSubject(subject)).cube();
        AtomicInteger runs = new AtomicInteger();
        Transactions losingOnce = new Transactions() {
            @Override
            public <T> T inTransaction(Supplier<T> work) {
                return backend.transactions().inTransaction(() -> {
                    T done = work.get();
                    if (runs.incrementAndGet() == 1) { // as when the database picks it as a deadlock's victim
                        throw new LostRaceException("chosen as a deadlock's victim", null);
                    }
                    return done;
                });
            }
        };
        ErasureProbes probes = new ErasureProbes();
        Erasures racing = new Erasures(kernel, directory, backend.cubes(), backend.directory(), backend.outbox(), store,
                probes, losingOnce, Clock.systemUTC(), Duration.ofSeconds(60), audit);

        List<Erasure> requests = racing.eraseSubject(alice, subject, false, null);
        assertEquals(2, runs.get());
        assertEquals(1, requests.size());
        // the second run found the cube live again: the first run's deletion was rolled back with its request
        assertEquals(List.of(about.id()), requests.getFirst().cubes());
        assertEquals(List.of(requests.getFirst().id()), backend.transactions().inTransaction(() -> store.list(space, 10))
                .stream().map(Erasure::id).toList());
        assertEquals(ErasureProbes.of(List.of("Quillon keeps the velmorant ledger")).size(),
                probes.of(requests.getFirst().id()).size());
    }

    @Test
    void reclaiming_free_space_says_what_it_did() {
        CubeId id = write("something to reclaim later").id();
        erasures.eraseCube(alice, id, false, null);
        String done = store.reclaim();
        assertTrue(done.startsWith("H2 in memory") || done.startsWith("PostgreSQL tables"), done);
    }
}
