package dev.memos.kernel;

import dev.memos.kernel.access.Principal;
import dev.memos.kernel.access.Role;
import dev.memos.kernel.access.Space;
import dev.memos.kernel.erasure.Erasure;
import dev.memos.kernel.erasure.ErasureProbes;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.error.NotFoundException;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.Limits;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.TextPayload;
import dev.memos.kernel.query.CubeQuery;
import dev.memos.kernel.query.Page;
import dev.memos.kernel.spi.CubeStore;
import dev.memos.kernel.spi.DirectoryStore;
import dev.memos.kernel.spi.ErasureStore;
import dev.memos.kernel.spi.Outbox;
import dev.memos.kernel.spi.Transactions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Erasure: deleting a cube or a space so that nothing of its content stays anywhere memos keeps data, and a
 * report that says so because it was checked. The request is written with the deletion, in one transaction;
 * the database forgets the content there and then (tombstones keep no content, the cube's events lose their
 * free text), and an eraser (memos-scheduler) works through the places that follow asynchronously (search
 * index, lineage graph, the database's files) before the request's deadline, checking each (docs/privacy.md).
 * A request whose transaction loses a race with a concurrent writer (a deadlock with the usage recorder updating
 * the same rows, say) runs again rather than hand the conflict to its caller.
 */
public final class Erasures {
    /** How many cubes one cascading erasure may reach (derived cubes, transitively). */
    public static final int MAX_CASCADE = 1_000;
    /** How often an erasure runs when its transaction keeps losing races with concurrent writers (deadlocks). */
    static final int ATTEMPTS = 5;

    private final MemoryKernel kernel;
    private final Directory directory;
    private final CubeStore cubes;
    private final Outbox outbox;
    private final ErasureStore erasures;
    private final ErasureProbes probes;
    private final Transactions transactions;
    private final Clock clock;
    private final Duration deadline;
    private final Guard guard;
    private final DirectoryStore spaces;
    private final dev.memos.kernel.spi.AuditLog audit;

    /** @param deadline how long after a request its report must be complete (memos.erasure.deadline) */
    public Erasures(MemoryKernel kernel, Directory directory, CubeStore cubes, DirectoryStore spaces, Outbox outbox,
                    ErasureStore erasures, ErasureProbes probes, Transactions transactions, Clock clock,
                    Duration deadline, dev.memos.kernel.spi.AuditLog audit) {
        this.audit = Objects.requireNonNull(audit, "audit");
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.cubes = Objects.requireNonNull(cubes, "cubes");
        this.spaces = Objects.requireNonNull(spaces, "spaces");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.erasures = Objects.requireNonNull(erasures, "erasures");
        this.probes = Objects.requireNonNull(probes, "probes");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
        this.guard = new Guard(spaces, cubes);
    }

    /**
     * Deletes a cube (WRITE on its space) and, with {@code cascade}, every cube derived from it that the actor
     * may write, transitively. Derived cubes that stay are listed in the request: those the actor may read by id,
     * the others only counted.
     */
    public Erasure eraseCube(Principal actor, CubeId id, boolean cascade, String reason) {
        List<String> texts = new ArrayList<>();
        Erasure erasure = transactions.inTransactionRetrying(ATTEMPTS, () -> {
            texts.clear();
            MemCube root = guard.cube(actor, id, Role.WRITE);
            Erasure request = eraseCubes(actor, List.of(id), cascade, reason, texts, Erasure.Scope.CUBE, id.toString(),
                    root.space());
            audit.append(request.requestedAt(), actor.id(), "cube.erased", root.space(), id.toString(), "erasure "
                    + request.id() + ", " + request.cubeCount() + " cubes" + (cascade ? ", cascade" : ""));
            return request;
        });
        probes.remember(erasure.id(), ErasureProbes.of(texts));
        return erasure;
    }

    /**
     * Erases everything about a data subject in the spaces the actor administers: every cube some version of which
     * names the subject, and with {@code cascade} the cubes derived from them. One request per space, all written
     * in one transaction (all or nothing). A request names the subject only by a digest ({@link #subjectTarget}):
     * the erasure record must not keep who was erased.
     *
     * @throws NotFoundException when no cube about the subject is in a space the actor administers
     */
    public List<Erasure> eraseSubject(Principal actor, String subject, boolean cascade, String reason) {
        String who = dev.memos.kernel.model.Check.required("subject", dev.memos.kernel.model.Check.subject(subject));
        List<List<String>> texts = new ArrayList<>();
        List<Erasure> requests = transactions.inTransactionRetrying(ATTEMPTS, () -> {
            texts.clear();
            java.util.Map<String, List<CubeId>> bySpace = new java.util.TreeMap<>();
            CubeId after = null;
            int found = 0;
            do {
                List<MemCube> page = cubes.findBySubject(who, actor.id(), Role.ADMIN, after, Limits.MAX_PAGE + 1);
                for (MemCube cube : page.subList(0, Math.min(page.size(), Limits.MAX_PAGE))) {
                    bySpace.computeIfAbsent(cube.space(), k -> new ArrayList<>()).add(cube.id());
                    if (++found > MAX_CASCADE) {
                        throw new InvalidException("subject", "more than " + MAX_CASCADE + " cubes are about this"
                                + " subject; erase them space by space (DELETE /v1/spaces/{space}) or cube by cube");
                    }
                }
                after = page.size() > Limits.MAX_PAGE ? page.get(Limits.MAX_PAGE - 1).id() : null;
            } while (after != null);
            if (bySpace.isEmpty()) {
                throw new NotFoundException("no cube about this subject in a space you administer");
            }
            List<Erasure> written = new ArrayList<>();
            for (var space : bySpace.entrySet()) {
                List<String> spaceTexts = new ArrayList<>();
                Erasure request = eraseCubes(actor, space.getValue(), cascade, reason, spaceTexts,
                        Erasure.Scope.SUBJECT, subjectTarget(who), space.getKey());
                texts.add(spaceTexts);
                audit.append(request.requestedAt(), actor.id(), "subject.erased", space.getKey(), request.target(),
                        "erasure " + request.id() + ", " + request.cubeCount() + " cubes" + (cascade ? ", cascade" : ""));
                written.add(request);
            }
            return written;
        });
        for (int i = 0; i < requests.size(); i++) {
            probes.remember(requests.get(i).id(), ErasureProbes.of(texts.get(i)));
        }
        return requests;
    }

    /** How an erasure names a subject: a digest, so the record of the erasure does not keep who was erased. */
    public static String subjectTarget(String subject) {
        return "subject:" + dev.memos.kernel.model.Sha256.of(subject.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .substring(0, 40);
    }

    /**
     * Deletes the {@code roots} (the caller checked the actor may) and, with {@code cascade}, what derives from
     * them and the actor may write, transitively; writes and returns the request. Derived cubes that stay are
     * listed: those the actor may read by id, the others only counted.
     */
    private Erasure eraseCubes(Principal actor, List<CubeId> roots, boolean cascade, String reason, List<String> texts,
                               Erasure.Scope scope, String target, String space) {
        List<CubeId> erased = new ArrayList<>();
        List<CubeId> kept = new ArrayList<>();
        int hidden = 0;
        Set<CubeId> seen = new HashSet<>(roots);
        Deque<CubeId> next = new ArrayDeque<>(roots);
        for (CubeId root : roots) {
            erase(actor, root, reason, texts, erased);
        }
        while (!next.isEmpty()) {
            CubeId source = next.poll();
            for (CubeId derived : cubes.findDerivedFrom(source, MAX_CASCADE + 1)) {
                if (!seen.add(derived)) {
                    continue;
                }
                if (seen.size() > MAX_CASCADE) {
                    throw new InvalidException("cascade", "more than " + MAX_CASCADE + " cubes derive from "
                            + (roots.size() == 1 ? "cube " + roots.getFirst() : "these cubes")
                            + "; erase them in parts (deepest first)");
                }
                next.add(derived);
                if (cascade && cubes.find(derived, actor.id(), Role.WRITE).isPresent()) {
                    erase(actor, derived, reason, texts, erased);
                } else if (cubes.find(derived, actor.id(), Role.READ).isPresent()) {
                    kept.add(derived);
                } else {
                    hidden++;
                }
            }
        }
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS); // as stores keep it
        Erasure request = new Erasure(UUID.randomUUID(), scope, target, space, actor.id(), now, now.plus(deadline),
                cascade, erased, erased.size(), kept, hidden, Erasure.Status.PENDING, null, List.of());
        erasures.insert(request);
        return request;
    }

    /**
     * Deletes one cube for an erasure: its texts (every version) and its idempotency key (which a client may have
     * built from the content; the tombstone keeps only a hash) are kept for the file scan, its events scrubbed.
     */
    private void erase(Principal actor, CubeId id, String reason, List<String> texts, List<CubeId> erased) {
        for (MemCube version : cubes.versions(id, actor.id())) {
            if (version.payload() instanceof TextPayload text) {
                texts.add(text.text());
            }
        }
        cubes.idempotencyKeyForSystem(id).filter(key -> !key.startsWith(dev.memos.kernel.model.Tombstone.ERASED))
                .ifPresent(texts::add);
        List<CubeId> deleted = kernel.deleting(actor, id, reason).deleted();
        erased.add(id);
        for (CubeId cube : deleted) {
            outbox.scrub(cube);
            if (!cube.equals(id)) {
                erased.add(cube);
            }
        }
        if (deleted.isEmpty()) {
            outbox.scrub(id); // deleted before: erasing it again still scrubs its events
        }
    }

    /** Deletes a space with every cube in it (ADMIN on it; {@code force} when live cubes remain) as an erasure. */
    public Erasure eraseSpace(Principal actor, String space, boolean force, String reason) {
        Space.requireName(space);
        List<String> texts = new ArrayList<>();
        Erasure erasure = transactions.inTransactionRetrying(ATTEMPTS, () -> {
            texts.clear();
            guard.space(actor, space, Role.ADMIN);
            long count = cubes.countLive(space);
            CubeId after = null;
            do {
                Page<MemCube> page = cubes.list(space, actor.id(), new CubeQuery(null, null, null, null, after, Limits.MAX_PAGE));
                for (MemCube cube : page.items()) {
                    if (cube.payload() instanceof TextPayload text) {
                        texts.add(text.text());
                    }
                }
                after = page.nextCursor() == null ? null : page.items().getLast().id();
            } while (after != null && texts.size() < ErasureProbes.MAX_PER_ERASURE);
            directory.deleteSpace(actor, space, force);
            outbox.forgetSpace(space);
            Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS); // as stores keep it
            Erasure request = new Erasure(UUID.randomUUID(), Erasure.Scope.SPACE, space, space, actor.id(), now,
                    now.plus(deadline), true, List.of(), count, List.of(), 0, Erasure.Status.PENDING, null, List.of());
            erasures.insert(request);
            audit.append(now, actor.id(), "space.erased", space, space, "erasure " + request.id() + ", " + count
                    + " cubes");
            return request;
        });
        probes.remember(erasure.id(), ErasureProbes.of(texts));
        return erasure;
    }

    /** A request and its report: for whoever asked, administrators, and administrators of its space. */
    public Erasure report(Principal actor, UUID id) {
        return transactions.inTransaction(() -> erasures.find(id).filter(e -> mayRead(actor, e)))
                .orElseThrow(() -> new NotFoundException("no erasure " + id));
    }

    /** The newest requests about a space (its administrators), or about every space (administrators), newest first. */
    public List<Erasure> list(Principal actor, String space, int limit) {
        if (limit < 1 || limit > 500) {
            throw new InvalidException("limit", "must be 1 … 500; got " + limit);
        }
        return transactions.inTransaction(() -> {
            guard.administers(actor, space, "erasures");
            return erasures.list(space, limit);
        });
    }

    private boolean mayRead(Principal actor, Erasure erasure) {
        return actor.admin() || actor.id().equals(erasure.requestedBy()) || spaces.space(erasure.space(), actor.id())
                .filter(view -> view.role().includes(Role.ADMIN)).isPresent();
    }
}
