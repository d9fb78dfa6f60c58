package dev.memos.testkit;

import dev.memos.kernel.CubePatch;
import dev.memos.kernel.Directory;
import dev.memos.kernel.NewCube;
import dev.memos.kernel.access.Principal;
import dev.memos.kernel.access.Role;
import dev.memos.kernel.error.ConflictException;
import dev.memos.kernel.error.ForbiddenException;
import dev.memos.kernel.error.NotFoundException;
import dev.memos.kernel.error.UnauthenticatedException;
import dev.memos.kernel.model.CubeHead;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.Operation;
import dev.memos.kernel.model.Payload;
import dev.memos.kernel.query.Page;
import dev.memos.kernel.search.Heat;
import dev.memos.kernel.testing.Backend;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract every cube store honours, exercised through the kernel so that versioning,
 * lifecycle, tenancy and transactional outbox behave the same on every back end. Subclass it once
 * per back end and return that back end's stores from {@link #backend()}.
 */
public abstract class CubeStoreContract extends CubeAccessContract {
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
