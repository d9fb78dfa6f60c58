package dev.memos.kernel;

import dev.memos.kernel.access.Principal;
import dev.memos.kernel.access.Role;
import dev.memos.kernel.error.ConflictException;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.error.NotFoundException;
import dev.memos.kernel.error.StaleVersionException;
import dev.memos.kernel.event.EventType;
import dev.memos.kernel.event.KernelEvent;
import dev.memos.kernel.governance.Screening;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.Governance;
import dev.memos.kernel.model.Lifecycle;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.Operation;
import dev.memos.kernel.model.Payload;
import dev.memos.kernel.model.Provenance;
import dev.memos.kernel.model.Temporal;
import dev.memos.kernel.model.TextPayload;
import dev.memos.kernel.model.Tier;
import dev.memos.kernel.query.CubeQuery;
import dev.memos.kernel.query.Page;
import dev.memos.kernel.spi.CubeCache;
import dev.memos.kernel.spi.CubeStore;
import dev.memos.kernel.spi.DirectoryStore;
import dev.memos.kernel.spi.Outbox;
import dev.memos.kernel.spi.Transactions;
import dev.memos.kernel.spi.UsageSink;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The kernel operations on cubes. Each call acts for one principal, checks its grant, and commits
 * the change, its version row and its outbox event in one transaction.
 */
public final class MemoryKernel {
    private final CubeStore cubes;
    private final Outbox outbox;
    private final Transactions transactions;
    private final Clock clock;
    private final Guard guard;
    private final UsageSink usage;
    private final CubeCache workingSet;
    private final dev.memos.kernel.spi.AuditLog audit;
    private final Screening screening;
    private final Changes changes;
    private final Decisions decisions;
    private final Imports imports;

    public MemoryKernel(CubeStore cubes, DirectoryStore directory, Outbox outbox, Transactions transactions,
                        Clock clock) {
        this(cubes, directory, outbox, transactions, clock, KernelServices.NONE);
    }

    public MemoryKernel(CubeStore cubes, DirectoryStore directory, Outbox outbox, Transactions transactions,
                        Clock clock, KernelServices services) {
        this.screening = services.screening();
        this.audit = services.audit();
        this.usage = services.usage();
        this.workingSet = services.workingSet();
        this.cubes = Objects.requireNonNull(cubes, "cubes");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.guard = new Guard(Objects.requireNonNull(directory, "directory"), cubes);
        this.changes = new Changes(transactions, workingSet);
        this.decisions = new Decisions(cubes, outbox, clock, changes);
        this.imports = new Imports(cubes, outbox, clock, guard, audit, changes);
    }

    /** Moves and fusions on memos' own decision: the scheduler's policies. */
    public Decisions decisions() {
        return decisions;
    }

    /** Imports from space archives. */
    public Imports imports() {
        return imports;
    }

    /**
     * The outcome of a write: the cube, and whether it was created now or replayed by its idempotency key. A replay
     * may name a cube deleted since (its tombstone): a redelivered ingest record then changes nothing, while the API
     * tells its caller that nothing was written.
     */
    public record WriteResult(MemCube cube, boolean created) {
    }

    public WriteResult write(Principal actor, String space, NewCube request) {
        Objects.requireNonNull(request, "request");
        Instant now = clock.instant();
        Screening.Verdict verdict = screening.ofNewCube(actor, request.source(), request.text());
        Optional<String> quarantined = verdict.quarantine();
        MemCube cube = MemCube.builder()
                .id(CubeId.next(clock))
                .space(space)
                .tier(Tier.PLAINTEXT)
                .state(quarantined.isPresent() ? LifecycleState.QUARANTINED : LifecycleState.GENERATED)
                .payload(new TextPayload(request.text(), request.kind(), request.tags()))
                .provenance(new Provenance(request.source(), request.sourceRef(), actor.id(), request.sessionId(),
                        Operation.WRITE, request.derivedFrom()))
                .time(new Temporal(request.validFrom(), request.validTo(), now, null))
                .governance(new Governance(actor.id(), request.expiresAt(),
                        Objects.requireNonNullElse(request.priority(), 0), verdict.labelled(request.sensitivity()),
                        request.purpose(), request.subject()))
                .build();
        String key = request.idempotencyKey();
        try {
            return transactions.inTransaction(() -> {
                guard.space(actor, space, Role.WRITE);
                if (key != null) {
                    Optional<MemCube> first = cubes.findByIdempotencyKey(space, key, actor.id());
                    if (first.isPresent()) {
                        return new WriteResult(first.get(), false);
                    }
                }
                Map<String, String> data = verdict.eventData(guard.derivation(actor, request.derivedFrom()));
                cubes.insert(cube, key, actor.id());
                if (quarantined.isPresent()) {
                    audit.append(now, actor.id(), "cube.quarantined", space, cube.id().toString(), quarantined.get());
                }
                outbox.append(event(EventType.CUBE_CREATED, cube, actor, data));
                return new WriteResult(cube, true);
            });
        } catch (ConflictException race) {
            // Two writes with one idempotency key raced; the loser answers with the winner's cube.
            if (key == null) {
                throw race;
            }
            return transactions.inTransaction(() -> cubes.findByIdempotencyKey(space, key, actor.id()))
                    .map(first -> new WriteResult(first, false))
                    .orElseThrow(() -> race);
        }
    }

    /** The live version, from the working set when it holds it; counts as an access of the cube. */
    public MemCube read(Principal actor, CubeId id) {
        MemCube cached = workingSet.get(id);
        MemCube cube;
        if (cached != null) {
            // The grant is checked in the store like for an uncached cube (role, clearances, purposes); the cache
            // saves only the payload. The same answer as for an uncached cube: never name the space to an outsider.
            if (!transactions.inTransaction(() -> cubes.findHeads(List.of(id), actor.id())).containsKey(id)) {
                throw new NotFoundException("no cube " + id);
            }
            cube = cached;
        } else {
            cube = transactions.inTransaction(() -> guard.cube(actor, id, Role.READ));
            workingSet.put(cube);
        }
        usage.accessed(List.of(id), clock.instant());
        if (!cube.governance().sensitivity().isEmpty()) {
            transactions.inTransaction(() -> {
                SensitiveReads.record(audit, clock.instant(), actor.id(), List.of(cube), null);
                return null;
            });
        }
        return cube;
    }

    public MemCube readVersion(Principal actor, CubeId id, int version) {
        return transactions.inTransaction(() -> {
            MemCube found = cubes.findVersion(id, version, actor.id()).orElseThrow(() -> {
                MemCube live = guard.cube(actor, id, Role.READ);
                return new NotFoundException("cube " + id + " has no version " + version
                        + "; its versions are 1 … " + live.version());
            });
            SensitiveReads.record(audit, clock.instant(), actor.id(), List.of(found), "version " + version);
            return found;
        });
    }

    /**
     * The version memos held as current at {@code asOf} (recorded time): recorded at or before it and not yet
     * superseded then. What memos believed about the cube at that time, including that it still held a fact it
     * later invalidated. An erased cube's versions are tombstones: erasure wins over history.
     */
    public MemCube readAsOf(Principal actor, CubeId id, Instant asOf) {
        Objects.requireNonNull(asOf, "asOf");
        return transactions.inTransaction(() -> {
            List<MemCube> versions = versions(actor, id);
            MemCube then = versions.stream().filter(v -> v.time().currentAt(asOf)).findFirst()
                    .orElseThrow(() -> new NotFoundException("cube " + id + " had no version at " + asOf
                            + "; its first was recorded at " + versions.getFirst().time().recordedAt()));
            SensitiveReads.record(audit, clock.instant(), actor.id(), List.of(then), "as of " + asOf);
            return then;
        });
    }

    public List<MemCube> history(Principal actor, CubeId id) {
        return transactions.inTransaction(() -> {
            List<MemCube> versions = versions(actor, id);
            SensitiveReads.record(audit, clock.instant(), actor.id(), versions, "history");
            return versions;
        });
    }

    private List<MemCube> versions(Principal actor, CubeId id) {
        return transactions.inTransaction(() -> {
            List<MemCube> versions = cubes.versions(id, actor.id());
            if (versions.isEmpty()) {
                throw new NotFoundException("no cube " + id);
            }
            return versions;
        });
    }

    public Page<MemCube> list(Principal actor, String space, CubeQuery query) {
        return transactions.inTransaction(() -> {
            guard.space(actor, space, Role.READ);
            Page<MemCube> page = cubes.list(space, actor.id(), query);
            SensitiveReads.record(audit, clock.instant(), actor.id(), page.items(), query.asOf() == null ? "list"
                    : "list as of " + query.asOf());
            return page;
        });
    }

    /** Applies a patch as version n+1, if the live version is still {@code expectedVersion}. */
    public MemCube update(Principal actor, CubeId id, int expectedVersion, CubePatch patch) {
        if (patch.isEmpty()) {
            throw new InvalidException(null, "the patch changes nothing; send at least one field");
        }
        return changes.changing(List.of(id), () -> {
            MemCube current = mutable(actor, id, expectedVersion);
            Payload payload = patch.payload(current);
            Screening.Verdict verdict = payload instanceof TextPayload text && patch.text() != null
                    ? screening.ofText(text.text()) : Screening.Verdict.CLEAN;
            Governance governance = patch.governance(current.governance());
            governance = new Governance(governance.owner(), governance.expiresAt(), governance.priority(),
                    verdict.labelled(governance.sensitivity()), governance.purpose(), governance.subject());
            MemCube next = next(current, actor, Operation.UPDATE, payload, patch.time(current.time(), clock.instant()), governance);
            cubes.appendVersion(next, actor.id());
            outbox.append(event(EventType.CUBE_VERSIONED, next, actor, verdict.eventData(Map.of("operation", "update"))));
            return next;
        });
    }

    /** Writes version n+1 carrying the payload and validity of {@code toVersion}. */
    public MemCube rollback(Principal actor, CubeId id, int toVersion, Integer expectedVersion) {
        return changes.changing(List.of(id), () -> {
            MemCube current = mutable(actor, id, expectedVersion);
            if (toVersion < 1 || toVersion >= current.version()) {
                throw new InvalidException("version", "can roll back only to an earlier version, 1 … "
                        + (current.version() - 1) + "; got " + toVersion);
            }
            MemCube old = cubes.findVersion(id, toVersion, actor.id())
                    .orElseThrow(() -> new NotFoundException("cube " + id + " has no version " + toVersion));
            Instant now = clock.instant();
            MemCube next = next(current, actor, Operation.ROLLBACK, old.payload(),
                    new Temporal(old.time().validFrom(), old.time().validTo(), now, null), current.governance());
            cubes.appendVersion(next, actor.id());
            outbox.append(event(EventType.CUBE_VERSIONED, next, actor,
                    Map.of("operation", "rollback", "restoredVersion", Integer.toString(toVersion))));
            return next;
        });
    }

    /** Moves a cube along the lifecycle; DELETED goes through {@link #delete}. */
    public MemCube transition(Principal actor, CubeId id, LifecycleState target, String reason) {
        Objects.requireNonNull(target, "target");
        if (target == LifecycleState.DELETED) {
            return delete(actor, id, reason);
        }
        return changes.changing(List.of(id), () -> {
            MemCube current = guard.cube(actor, id, Role.WRITE);
            if (current.state() == LifecycleState.QUARANTINED) {
                throw new ConflictException("cube " + id + " is QUARANTINED: a space administrator releases it"
                        + " (POST /v1/cubes/" + id + "/release), or delete it");
            }
            Lifecycle.requireLegal(current.state(), target);
            cubes.updateState(id, current.state(), target, clock.instant(), actor.id());
            MemCube moved = current.toBuilder().state(target).build();
            outbox.append(event(EventType.CUBE_TRANSITIONED, moved, actor, Changes.transitionData(current.state(), target, reason)));
            return moved;
        });
    }

    /** Releases a quarantined cube into recall (GENERATED): administrators of its space only; audited. */
    public MemCube release(Principal actor, CubeId id, String reason) {
        return changes.changing(List.of(id), () -> {
            MemCube current = guard.cube(actor, id, Role.READ);
            guard.space(actor, current.space(), Role.ADMIN);
            if (current.state() != LifecycleState.QUARANTINED) {
                throw new ConflictException("cube " + id + " is " + current.state() + ", not QUARANTINED");
            }
            cubes.updateState(id, LifecycleState.QUARANTINED, LifecycleState.GENERATED, clock.instant(), actor.id());
            MemCube released = current.toBuilder().state(LifecycleState.GENERATED).build();
            outbox.append(event(EventType.CUBE_TRANSITIONED, released, actor,
                    Changes.transitionData(LifecycleState.QUARANTINED, LifecycleState.GENERATED, reason)));
            audit.append(clock.instant(), actor.id(), "cube.released", current.space(), id.toString(), null);
            return released;
        });
    }

    /**
     * Records that the fact stopped holding at {@code validTo} (now when null), as version n+1 with that validity
     * (operation INVALIDATE). Version n stays as it was: what memos believed until now ({@link #readAsOf}).
     */
    public MemCube invalidate(Principal actor, CubeId id, Instant validTo, String reason) {
        return invalidate(actor, id, validTo, reason, Map.of());
    }

    /** {@link #invalidate(Principal, CubeId, Instant, String)} with more event data (e.g. the contradicting fact). */
    public MemCube invalidate(Principal actor, CubeId id, Instant validTo, String reason, Map<String, String> facts) {
        return changes.changing(List.of(id), () -> {
            MemCube current = mutable(actor, id, null);
            if (current.provenance().operation().invalidates()) {
                throw new ConflictException("cube " + id + " was already invalidated at " + current.time().recordedAt()
                        + " (version " + current.version() + ")");
            }
            Instant now = clock.instant();
            Instant end = validTo == null ? now : validTo;
            MemCube next = next(current, actor, Operation.INVALIDATE, current.payload(),
                    new Temporal(current.time().validFrom(), end, now, null), current.governance());
            cubes.appendVersion(next, actor.id());
            Map<String, String> data = new LinkedHashMap<>(facts);
            data.put("validTo", end.toString());
            if (reason != null) {
                data.put("reason", reason);
            }
            outbox.append(event(EventType.CUBE_INVALIDATED, next, actor, data));
            return next;
        });
    }

    /** Tombstones the cube and purges its payload from every version. Deleting a deleted cube changes nothing. */
    public MemCube delete(Principal actor, CubeId id, String reason) {
        return deleting(actor, id, reason).tombstone();
    }

    /**
     * What one delete changed: the cube's tombstone and the ids of every cube it tombstoned (the cube itself,
     * unless it was deleted already, and the activation cubes compiled from it).
     */
    public record Deletion(MemCube tombstone, List<CubeId> deleted) {
    }

    /** {@link #delete}, saying which cubes it tombstoned. */
    public Deletion deleting(Principal actor, CubeId id, String reason) {
        List<CubeId> deleted = new java.util.ArrayList<>();
        try {
            return changes.changing(List.of(id), () -> {
                MemCube current = guard.cube(actor, id, Role.WRITE);
                if (current.state() == LifecycleState.DELETED) {
                    return new Deletion(current, List.of());
                }
                Lifecycle.requireLegal(current.state(), LifecycleState.DELETED);
                cubes.tombstone(id, current.state(), clock.instant(), actor.id());
                MemCube tombstone = dev.memos.kernel.model.Tombstone.of(current);
                outbox.append(event(EventType.CUBE_DELETED, tombstone, actor,
                        Changes.transitionData(current.state(), LifecycleState.DELETED, reason)));
                deleted.add(id);
                deleted.addAll(Activations.deleteActivationsOf(cubes, outbox, clock.instant(), current));
                return new Deletion(tombstone, List.copyOf(deleted));
            });
        } finally {
            workingSet.invalidate(deleted);
        }
    }

    /** When a plaintext cube is deleted, so is every activation cube compiled from it (see {@link Tiers}). */
    private void deleteActivations(MemCube source) {
        workingSet.invalidate(Activations.deleteActivationsOf(cubes, outbox, clock.instant(), source));
    }

    private MemCube mutable(Principal actor, CubeId id, Integer expectedVersion) {
        MemCube current = guard.cube(actor, id, Role.WRITE);
        if (expectedVersion != null && current.version() != expectedVersion) {
            throw new StaleVersionException(expectedVersion, current.version());
        }
        if (!current.state().isLive()) {
            throw new ConflictException("cube " + id + " is " + current.state() + " and can no longer change");
        }
        return current;
    }

    private MemCube next(MemCube current, Principal actor, Operation operation, Payload payload,
                         Temporal time, Governance governance) {
        return current.toBuilder()
                .version(current.version() + 1)
                .payload(payload)
                .provenance(current.provenance().madeBy(actor.id(), operation))
                .time(time)
                .governance(governance)
                .build();
    }

    /** An event about a cube; a new version's event happens when the version was recorded. */
    private KernelEvent event(EventType type, MemCube cube, Principal actor, Map<String, String> data) {
        boolean newVersion = type == EventType.CUBE_CREATED || type == EventType.CUBE_VERSIONED;
        return new KernelEvent(UUID.randomUUID(), type, cube.space(), cube.id(), cube.version(), actor.id(),
                newVersion ? cube.time().recordedAt() : clock.instant(), data);
    }
}
