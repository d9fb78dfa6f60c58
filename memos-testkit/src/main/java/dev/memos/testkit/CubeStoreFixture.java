package dev.memos.testkit;

import dev.memos.kernel.Directory;
import dev.memos.kernel.MemoryKernel;
import dev.memos.kernel.NewCube;
import dev.memos.kernel.access.Principal;
import dev.memos.kernel.access.Role;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.query.CubeQuery;
import dev.memos.kernel.testing.Backend;
import dev.memos.kernel.testing.MutableClock;
import org.junit.jupiter.api.BeforeEach;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the cube store contracts share: a kernel and a directory on the back end under test, two principals and a
 * space of alice's, fresh for each test. Back ends subclass {@link CubeStoreContract}, which holds every group.
 */
public abstract class CubeStoreFixture {
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

    protected Principal admin() {
        directory.bootstrapAdmin(null, key -> { });
        return backend().transactions().inTransaction(() -> backend().directory().firstAdmin()).orElseThrow();
    }

    protected MemCube write(String text) {
        return kernel.write(alice, space, NewCube.text(text, "fact")).cube();
    }

    protected Map<CubeId, MemCube> asOf(Instant at, String kind, String tag) {
        return asOf(at, kind, tag, null, alice);
    }

    protected Map<CubeId, MemCube> asOf(Instant at, String kind, String tag, Instant validAt, Principal who) {
        Backend b = backend();
        Map<CubeId, MemCube> found = new java.util.LinkedHashMap<>();
        b.transactions().inTransaction(() -> b.cubes().list(space, who.id(),
                new CubeQuery(null, kind, tag, validAt, null, 50, at))).items().forEach(c -> found.put(c.id(), c));
        return found;
    }

    protected int count(CubeQuery query) {
        return kernel.list(alice, space, query).items().size();
    }

    protected MemCube write(String text, Set<String> labels, String purpose) {
        return kernel.write(alice, space, NewCube.text(text, "fact").withGovernance(labels, purpose)).cube();
    }

    protected Set<CubeId> reachable(Principal who, List<MemCube> cubes) {
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
}
