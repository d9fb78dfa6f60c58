package dev.memos.kernel;

import dev.memos.kernel.access.Principal;
import dev.memos.kernel.access.Role;
import dev.memos.kernel.error.ConflictException;
import dev.memos.kernel.error.ForbiddenException;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.error.NotFoundException;
import dev.memos.kernel.error.StaleVersionException;
import dev.memos.kernel.event.Decision;
import dev.memos.kernel.event.EventType;
import dev.memos.kernel.event.KernelEvent;
import dev.memos.kernel.governance.Screening;
import dev.memos.kernel.lineage.LineageFacts;
import dev.memos.kernel.lineage.VersionRef;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.Governance;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.Lifecycle;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.Operation;
import dev.memos.kernel.model.Payload;
import dev.memos.kernel.model.Source;
import dev.memos.kernel.model.Limits;
import dev.memos.kernel.model.Provenance;
import dev.memos.kernel.model.Temporal;
import dev.memos.kernel.model.TextPayload;
import dev.memos.kernel.model.Tier;
import dev.memos.kernel.query.CubeQuery;
import dev.memos.kernel.query.Page;
import dev.memos.kernel.spi.CubeCache;
import dev.memos.kernel.spi.CubeStore;
import dev.memos.kernel.spi.UsageSink;
import dev.memos.kernel.spi.DirectoryStore;
import dev.memos.kernel.spi.Outbox;
import dev.memos.kernel.spi.Transactions;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
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

    public MemoryKernel(CubeStore cubes, DirectoryStore directory, Outbox outbox, Transactions transactions,
                        Clock clock) {
        this(cubes, directory, outbox, transactions, clock, UsageSink.NONE, CubeCache.NONE);
    }

    /**
     * @param usage receives every read of a cube's live version as an access (heat, access count)
     * @param workingSet serves reads of hot cubes; the kernel drops what it changes
     */
    public MemoryKernel(CubeStore cubes, DirectoryStore directory, Outbox outbox, Transactions transactions,
                        Clock clock, UsageSink usage, CubeCache workingSet) {
        this(cubes, directory, outbox, transactions, clock, usage, workingSet, Audit.NONE);
    }

    /** @param audit records imports and reads of cubes labelled sensitive */
    public MemoryKernel(CubeStore cubes, DirectoryStore directory, Outbox outbox, Transactions transactions,
                        Clock clock, UsageSink usage, CubeCache workingSet, dev.memos.kernel.spi.AuditLog audit) {
        this(cubes, directory, outbox, transactions, clock, usage, workingSet, audit, Screening.none());
    }

    /**
     * @param screening labels what a write or an update of the text holds and decides which new memories are kept
     *                  out of recall until released (docs/privacy.md)
     */
    public MemoryKernel(CubeStore cubes, DirectoryStore directory, Outbox outbox, Transactions transactions,
                        Clock clock, UsageSink usage, CubeCache workingSet, dev.memos.kernel.spi.AuditLog audit,
                        Screening screening) {
        this.screening = Objects.requireNonNull(screening, "screening");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.usage = Objects.requireNonNull(usage, "usage");
        this.workingSet = Objects.requireNonNull(workingSet, "workingSet");
        this.cubes = Objects.requireNonNull(cubes, "cubes");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.guard = new Guard(Objects.requireNonNull(directory, "directory"), cubes);
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
                Map<String, String> data = verdict.eventData(sources(actor, request.derivedFrom()));
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

    /** Event data naming the live versions of the sources of a derived write; each must be readable. */
    private Map<String, String> sources(Principal actor, List<CubeId> derivedFrom) {
        if (derivedFrom.isEmpty()) {
            return Map.of();
        }
        List<VersionRef> refs = new java.util.ArrayList<>();
        for (CubeId source : derivedFrom) {
            MemCube live = cubes.find(source, actor.id(), Role.READ)
                    .orElseThrow(() -> new InvalidException("derivedFrom", "no cube " + source + " that you may read"));
            refs.add(new VersionRef(source, live.version()));
        }
        Map<String, String> data = new LinkedHashMap<>(LineageFacts.sourceData(refs));
        data.put(LineageFacts.OPERATION, "derive");
        return data;
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

    /** Runs a change of these cubes and drops them from the working set once it has run (committed or not). */
    private <T> T changing(Collection<CubeId> ids, java.util.function.Supplier<T> change) {
        try {
            return transactions.inTransaction(change);
        } finally {
            workingSet.invalidate(ids);
        }
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
        return changing(List.of(id), () -> {
            MemCube current = mutable(actor, id, expectedVersion);
            Payload payload = patched(current, patch);
            Screening.Verdict verdict = payload instanceof TextPayload text && patch.text() != null
                    ? screening.ofText(text.text()) : Screening.Verdict.CLEAN;
            Governance governance = patchedGovernance(current.governance(), patch);
            governance = new Governance(governance.owner(), governance.expiresAt(), governance.priority(),
                    verdict.labelled(governance.sensitivity()), governance.purpose(), governance.subject());
            MemCube next = next(current, actor, Operation.UPDATE, payload, patchedTime(current, patch), governance);
            cubes.appendVersion(next, actor.id());
            outbox.append(event(EventType.CUBE_VERSIONED, next, actor, verdict.eventData(Map.of("operation", "update"))));
            return next;
        });
    }

    /** Writes version n+1 carrying the payload and validity of {@code toVersion}. */
    public MemCube rollback(Principal actor, CubeId id, int toVersion, Integer expectedVersion) {
        return changing(List.of(id), () -> {
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
        return changing(List.of(id), () -> {
            MemCube current = guard.cube(actor, id, Role.WRITE);
            if (current.state() == LifecycleState.QUARANTINED) {
                throw new ConflictException("cube " + id + " is QUARANTINED: a space administrator releases it"
                        + " (POST /v1/cubes/" + id + "/release), or delete it");
            }
            Lifecycle.requireLegal(current.state(), target);
            cubes.updateState(id, current.state(), target, clock.instant(), actor.id());
            MemCube moved = current.toBuilder().state(target).build();
            outbox.append(event(EventType.CUBE_TRANSITIONED, moved, actor, transitionData(current.state(), target, reason)));
            return moved;
        });
    }

    /** Releases a quarantined cube into recall (GENERATED): administrators of its space only; audited. */
    public MemCube release(Principal actor, CubeId id, String reason) {
        return changing(List.of(id), () -> {
            MemCube current = guard.cube(actor, id, Role.READ);
            guard.space(actor, current.space(), Role.ADMIN);
            if (current.state() != LifecycleState.QUARANTINED) {
                throw new ConflictException("cube " + id + " is " + current.state() + ", not QUARANTINED");
            }
            cubes.updateState(id, LifecycleState.QUARANTINED, LifecycleState.GENERATED, clock.instant(), actor.id());
            MemCube released = current.toBuilder().state(LifecycleState.GENERATED).build();
            outbox.append(event(EventType.CUBE_TRANSITIONED, released, actor,
                    transitionData(LifecycleState.QUARANTINED, LifecycleState.GENERATED, reason)));
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
        return changing(List.of(id), () -> {
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

    /**
     * Moves a cube on memos' own decision (a scheduling policy), not a principal's: no grant applies, the
     * actor is {@link Decision#SCHEDULER} and the decision travels in the event. To DELETED it purges the
     * payload like {@link #delete}. Empty when the cube is gone or no longer in {@code expected} (a user
     * moved it meanwhile, or another instance's policy did), so a policy acting on a stale list changes nothing.
     */
    public Optional<MemCube> decide(CubeId id, LifecycleState expected, LifecycleState target, Decision decision) {
        Objects.requireNonNull(decision, "decision");
        Lifecycle.requireLegal(expected, target);
        try {
            return decided(id, expected, target, decision);
        } catch (ConflictException movedMeanwhile) {
            return Optional.empty(); // another instance's policy or a user moved it between our read and write
        }
    }

    private Optional<MemCube> decided(CubeId id, LifecycleState expected, LifecycleState target, Decision decision) {
        return changing(List.of(id), () -> {
            Optional<MemCube> current = cubes.findForSystem(id);
            if (current.isEmpty() || current.get().state() != expected) {
                return Optional.empty();
            }
            cubes.moveForSystem(id, expected, target, clock.instant());
            MemCube moved = current.get().toBuilder().state(target)
                    .payload(target == LifecycleState.DELETED ? Payload.Purged.INSTANCE : current.get().payload()).build();
            Map<String, String> data = new LinkedHashMap<>(transitionData(expected, target, decision.reason()));
            data.putAll(decision.data());
            outbox.append(new KernelEvent(UUID.randomUUID(), target == LifecycleState.DELETED ? EventType.CUBE_DELETED
                    : EventType.CUBE_TRANSITIONED, moved.space(), id, moved.version(), Decision.SCHEDULER,
                    clock.instant(), data));
            if (target == LifecycleState.DELETED) {
                deleteActivations(current.get());
            }
            return Optional.of(moved);
        });
    }

    /**
     * Fuses plaintext cubes of one space into one new cube on memos' own decision: the new cube keeps the
     * oldest source's text and kind, the union of tags and sensitivity labels, the highest priority, the
     * earliest validFrom, and names the sources in {@code derivedFrom}; each source becomes MERGED (a
     * GENERATED one passes through ACTIVATED) and stays readable. Empty, changing nothing, when a source
     * is gone, not GENERATED or ACTIVATED, of another space, or not plaintext.
     */
    public Optional<MemCube> consolidate(List<CubeId> sourceIds, Decision decision) {
        return consolidate(sourceIds, null, decision);
    }

    /**
     * {@link #consolidate(List, Decision)} keeping the text and kind of {@code textFrom} (one of the sources)
     * instead of the oldest source's: a near-duplicate fusion keeps the most complete wording.
     */
    public Optional<MemCube> consolidate(List<CubeId> sourceIds, CubeId textFrom, Decision decision) {
        Objects.requireNonNull(decision, "decision");
        if (sourceIds.stream().distinct().count() < 2) {
            throw new InvalidException("sources", "a consolidation needs two different cubes or more");
        }
        if (textFrom != null && !sourceIds.contains(textFrom)) {
            throw new InvalidException("textFrom", "must be one of the sources");
        }
        try {
            return consolidated(sourceIds, textFrom, decision);
        } catch (ConflictException movedMeanwhile) {
            return Optional.empty(); // a source moved between our read and write: nothing was changed
        }
    }

    private Optional<MemCube> consolidated(List<CubeId> sourceIds, CubeId textFrom, Decision decision) {
        return changing(sourceIds, () -> {
            List<MemCube> sources = new java.util.ArrayList<>();
            for (CubeId id : sourceIds.stream().sorted().distinct().toList()) {
                Optional<MemCube> cube = cubes.findForSystem(id);
                if (cube.isEmpty() || !(cube.get().payload() instanceof TextPayload) || !Lifecycle.isLegal(
                        cube.get().state() == LifecycleState.GENERATED ? LifecycleState.ACTIVATED : cube.get().state(),
                        LifecycleState.MERGED) || !cube.get().space().equals(sources.isEmpty() ? cube.get().space()
                        : sources.getFirst().space())) {
                    return Optional.<MemCube>empty();
                }
                sources.add(cube.get());
            }
            MemCube fused = fuse(sources, textFrom);
            cubes.insertForSystem(fused);
            Map<String, String> created = new LinkedHashMap<>(decision.data());
            created.putAll(LineageFacts.sourceData(sources.stream().map(c -> new VersionRef(c.id(), c.version())).toList()));
            created.put(LineageFacts.OPERATION, "merge");
            outbox.append(new KernelEvent(UUID.randomUUID(), EventType.CUBE_CREATED, fused.space(), fused.id(), 1,
                    Decision.SCHEDULER, fused.time().recordedAt(), created));
            for (MemCube source : sources) {
                if (source.state() == LifecycleState.GENERATED) {
                    cubes.moveForSystem(source.id(), LifecycleState.GENERATED, LifecycleState.ACTIVATED, clock.instant());
                }
                cubes.moveForSystem(source.id(), LifecycleState.ACTIVATED, LifecycleState.MERGED, clock.instant());
                Map<String, String> data = new LinkedHashMap<>(transitionData(source.state(), LifecycleState.MERGED,
                        decision.reason()));
                data.putAll(decision.data());
                data.put(LineageFacts.MERGED_INTO, fused.id().toString());
                outbox.append(new KernelEvent(UUID.randomUUID(), EventType.CUBE_TRANSITIONED, source.space(), source.id(),
                        source.version(), Decision.SCHEDULER, clock.instant(), data));
            }
            return Optional.of(fused);
        });
    }

    private MemCube fuse(List<MemCube> sources, CubeId textFrom) {
        MemCube first = sources.getFirst();
        TextPayload text = (TextPayload) sources.stream().filter(c -> c.id().equals(textFrom)).findFirst()
                .orElse(first).payload();
        java.util.LinkedHashSet<String> tags = new java.util.LinkedHashSet<>();
        java.util.TreeSet<String> sensitivity = new java.util.TreeSet<>();
        Instant validFrom = null;
        Instant expiresAt = first.governance().expiresAt();
        boolean expires = true;
        int priority = Integer.MIN_VALUE;
        boolean activated = false;
        for (MemCube c : sources) {
            tags.addAll(((TextPayload) c.payload()).tags());
            sensitivity.addAll(c.governance().sensitivity());
            Instant from = c.time().validFrom();
            validFrom = from == null ? validFrom : validFrom == null || from.isBefore(validFrom) ? from : validFrom;
            Instant exp = c.governance().expiresAt();
            expires &= exp != null;
            expiresAt = exp != null && expiresAt != null && exp.isAfter(expiresAt) ? exp : expiresAt;
            priority = Math.max(priority, c.governance().priority());
            activated |= c.state() == LifecycleState.ACTIVATED;
        }
        return MemCube.builder()
                .id(CubeId.next(clock))
                .space(first.space())
                .tier(Tier.PLAINTEXT)
                .state(activated ? LifecycleState.ACTIVATED : LifecycleState.GENERATED)
                .payload(new TextPayload(text.text(), text.kind(), tags.stream().limit(Limits.MAX_TAGS).toList()))
                .provenance(new Provenance(Source.DERIVATION, first.provenance().sourceRef(), Decision.SCHEDULER, null,
                        Operation.MERGE, sources.stream().map(MemCube::id).toList()))
                .time(new Temporal(validFrom, null, clock.instant(), null))
                .governance(new Governance(first.governance().owner(), expires ? expiresAt : null, priority,
                        sensitivity.stream().limit(Limits.MAX_SENSITIVITY_LABELS).collect(java.util.stream.Collectors.toSet()),
                        first.governance().purpose(), first.governance().subject()))
                .build();
    }

    /** The outcome of an import: the cube, and whether it was imported now or was there already (a resumed import). */
    public record ImportResult(MemCube cube, boolean imported) {
    }

    /**
     * Imports a cube with its whole history from an archive into {@code space} (ADMIN on it): the id, every
     * version's payload, provenance, time and governance, and the last version's state are kept; usage starts
     * afresh. Each version becomes an event at its recorded time by its original actor, so the index and the
     * lineage graph are rebuilt as they were; every source must be readable to the importer, as for a write (an
     * export names the sources its reader could not see as redacted, and those are not linked). Importing a cube
     * that is already there with as many versions changes nothing. A cube whose id is taken in another space comes in
     * under a new id (kept with the import key {@code import:<archived id>}, so a resumed import finds it): no
     * answer tells the importer whether an id exists in a space it may not read.
     * Only plaintext cubes; DELETED cubes are not imported.
     */
    public ImportResult importCube(Principal actor, String space, List<MemCube> history) {
        List<MemCube> given = importable(space, history);
        CubeId archived = given.getLast().id();
        return changing(List.of(archived), () -> {
            guard.space(actor, space, Role.ADMIN);
            String key = importKey(archived);
            Optional<MemCube> existing = cubes.findForSystem(archived).filter(c -> c.space().equals(space))
                    .or(() -> cubes.findByIdempotencyKey(space, key, actor.id()));
            if (existing.isPresent()) {
                if (existing.get().version() == given.getLast().version()) {
                    return new ImportResult(existing.get(), false);
                }
                throw new ConflictException("cube " + existing.get().id() + " was imported into " + space
                        + " already, with " + existing.get().version() + " versions; the archive has " + given.size());
            }
            // An id held in any other space (readable or not) is never named: the cube comes in under a new id,
            // found again by its import key when the import resumes. Only this space's own cubes are compared.
            boolean rekeyed = cubes.findForSystem(archived).isPresent();
            CubeId id = rekeyed ? CubeId.next(clock) : archived;
            List<MemCube> versions = rekeyed ? given.stream().map(v -> v.toBuilder().id(id).build()).toList() : given;
            MemCube first = versions.getFirst();
            MemCube live = versions.getLast();
            Map<String, String> created = new LinkedHashMap<>();
            List<CubeId> sources = first.provenance().derivedFrom();
            if (!sources.isEmpty()) {
                created.putAll(LineageFacts.sourceData(sources.stream()
                        .map(source -> new VersionRef(source, versionAt(actor, source, first.time().recordedAt()))).toList()));
                created.put(LineageFacts.OPERATION, switch (first.provenance().operation()) {
                    case MERGE -> "merge";
                    case MIGRATE -> "migrate";
                    default -> "derive";
                });
            }
            created.put("imported", "true");
            created.put("importedBy", actor.id()); // the history is the archive's word; who brought it in is ours
            cubes.importForSystem(versions, rekeyed ? key : null);
            audit.append(clock.instant(), actor.id(), "cube.imported", space, live.id().toString(),
                    versions.size() + " versions" + (rekeyed ? ", archived as " + archived : ""));
            for (MemCube v : versions) {
                Map<String, String> data = v.version() == 1 ? created : Map.of(LineageFacts.OPERATION,
                        v.provenance().operation().name().toLowerCase(java.util.Locale.ROOT), "imported", "true",
                        "importedBy", actor.id());
                outbox.append(new KernelEvent(UUID.randomUUID(), v.version() == 1 ? EventType.CUBE_CREATED
                        : EventType.CUBE_VERSIONED, space, v.id(), v.version(), v.provenance().actor(),
                        v.time().recordedAt(), data));
            }
            return new ImportResult(live, true);
        });
    }

    /** The idempotency key an imported cube is kept under when it came in under a new id. */
    static String importKey(CubeId archived) {
        return "import:" + archived;
    }

    private static List<MemCube> importable(String space, List<MemCube> history) {
        if (history == null || history.isEmpty()) {
            throw new InvalidException("versions", "an imported cube needs at least one version");
        }
        if (history.size() > Limits.MAX_IMPORT_VERSIONS) {
            throw new InvalidException("versions", "at most " + Limits.MAX_IMPORT_VERSIONS + " versions; got " + history.size());
        }
        MemCube live = history.getLast();
        if (live.state() == LifecycleState.DELETED) {
            throw new InvalidException("state", "DELETED cubes are not imported");
        }
        List<MemCube> versions = new java.util.ArrayList<>(history.size());
        for (int i = 0; i < history.size(); i++) {
            MemCube v = history.get(i);
            if (!v.id().equals(live.id())) {
                throw new InvalidException("versions", "every version must carry the cube id " + live.id() + "; #"
                        + (i + 1) + " carries " + v.id());
            }
            if (v.version() != i + 1) {
                throw new InvalidException("versions", "versions must be 1 … n in order; #" + (i + 1) + " is version "
                        + v.version());
            }
            if (v.tier() != Tier.PLAINTEXT || !(v.payload() instanceof TextPayload)) {
                throw new InvalidException("versions", "only plaintext cubes with their text can be imported; version "
                        + v.version() + " is " + v.tier() + (v.payload() instanceof Payload.Purged ? " (purged)" : ""));
            }
            versions.add(v.toBuilder().space(space).state(live.state()).usage(dev.memos.kernel.model.Usage.NONE).build());
        }
        return versions;
    }

    /** The version of {@code source} that was live at {@code at}, if the actor may read it; else 1. */
    private int versionAt(Principal actor, CubeId source, Instant at) {
        List<MemCube> versions = cubes.versions(source, actor.id());
        if (versions.isEmpty()) {
            // as a write refuses it: an import must not link (and so reveal, or write into) another tenant's lineage
            throw new InvalidException("derivedFrom", "no cube " + source + " that you may read");
        }
        int version = 1;
        for (MemCube v : versions) {
            if (!v.time().recordedAt().isAfter(at)) {
                version = v.version();
            }
        }
        return version;
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
            return changing(List.of(id), () -> {
                MemCube current = guard.cube(actor, id, Role.WRITE);
                if (current.state() == LifecycleState.DELETED) {
                    return new Deletion(current, List.of());
                }
                Lifecycle.requireLegal(current.state(), LifecycleState.DELETED);
                cubes.tombstone(id, current.state(), clock.instant(), actor.id());
                MemCube tombstone = dev.memos.kernel.model.Tombstone.of(current);
                outbox.append(event(EventType.CUBE_DELETED, tombstone, actor,
                        transitionData(current.state(), LifecycleState.DELETED, reason)));
                deleted.add(id);
                deleted.addAll(Tiers.deleteActivationsOf(cubes, outbox, clock.instant(), current));
                return new Deletion(tombstone, List.copyOf(deleted));
            });
        } finally {
            workingSet.invalidate(deleted);
        }
    }

    /** When a plaintext cube is deleted, so is every activation cube compiled from it (see {@link Tiers}). */
    private void deleteActivations(MemCube source) {
        workingSet.invalidate(Tiers.deleteActivationsOf(cubes, outbox, clock.instant(), source));
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

    private static Payload patched(MemCube current, CubePatch patch) {
        if (!(current.payload() instanceof TextPayload text)) {
            if (patch.text() != null || patch.kind() != null || patch.tags() != null) {
                throw new InvalidException("text", current.tier() + " cubes have no text, kind or tags to change");
            }
            return current.payload();
        }
        return new TextPayload(
                patch.text() != null ? patch.text() : text.text(),
                patch.kind() != null ? patch.kind() : text.kind(),
                patch.tags() != null ? patch.tags() : text.tags());
    }

    private Temporal patchedTime(MemCube current, CubePatch patch) {
        Temporal time = current.time();
        return new Temporal(
                patch.validFrom() != null ? patch.validFrom() : time.validFrom(),
                patch.validTo() != null ? patch.validTo() : time.validTo(),
                clock.instant(), null);
    }

    private static Governance patchedGovernance(Governance governance, CubePatch patch) {
        return new Governance(governance.owner(),
                patch.clearExpiresAt() ? null : patch.expiresAt() != null ? patch.expiresAt() : governance.expiresAt(),
                patch.priority() != null ? patch.priority() : governance.priority(),
                patch.sensitivity() != null ? patch.sensitivity() : governance.sensitivity(),
                patch.purpose() != null ? patch.purpose() : governance.purpose(),
                patch.subject() != null ? patch.subject() : governance.subject());
    }

    private static Map<String, String> transitionData(LifecycleState from, LifecycleState to, String reason) {
        return reason == null ? Map.of("from", from.name(), "to", to.name())
                : Map.of("from", from.name(), "to", to.name(), "reason", reason);
    }

    /** An event about a cube; a new version's event happens when the version was recorded. */
    private KernelEvent event(EventType type, MemCube cube, Principal actor, Map<String, String> data) {
        boolean newVersion = type == EventType.CUBE_CREATED || type == EventType.CUBE_VERSIONED;
        return new KernelEvent(UUID.randomUUID(), type, cube.space(), cube.id(), cube.version(), actor.id(),
                newVersion ? cube.time().recordedAt() : clock.instant(), data);
    }
}
