package dev.memos.testkit;

import dev.memos.kernel.CubePatch;
import dev.memos.kernel.NewCube;
import dev.memos.kernel.access.Grant;
import dev.memos.kernel.access.Role;
import dev.memos.kernel.error.ForbiddenException;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.error.NotFoundException;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.TextPayload;
import dev.memos.kernel.query.CubeQuery;
import dev.memos.kernel.testing.Backend;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tenancy, purpose- and sensitivity-bound grants and data subjects: access in the store's queries, on every back
 * end.
 */
public abstract class CubeAccessContract extends CubeLifecycleContract {
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

    /** What bob reaches of these cubes through every read the store offers. */
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
}
