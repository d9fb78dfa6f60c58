package dev.memos.kernel;

import dev.memos.kernel.access.Principal;
import dev.memos.kernel.access.Role;
import dev.memos.kernel.error.ConflictException;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.event.EventType;
import dev.memos.kernel.event.KernelEvent;
import dev.memos.kernel.lineage.LineageFacts;
import dev.memos.kernel.lineage.VersionRef;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.Limits;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.Payload;
import dev.memos.kernel.model.TextPayload;
import dev.memos.kernel.model.Tier;
import dev.memos.kernel.spi.AuditLog;
import dev.memos.kernel.spi.CubeStore;
import dev.memos.kernel.spi.Outbox;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Imports of cubes with their whole history from a space archive (docs/archive.md). */
public final class Imports {
    private final CubeStore cubes;
    private final Outbox outbox;
    private final Clock clock;
    private final Guard guard;
    private final AuditLog audit;
    private final Changes changes;

    Imports(CubeStore cubes, Outbox outbox, Clock clock, Guard guard, AuditLog audit, Changes changes) {
        this.cubes = cubes;
        this.outbox = outbox;
        this.clock = clock;
        this.guard = guard;
        this.audit = audit;
        this.changes = changes;
    }

    /** The outcome of an import: the cube, and whether it was imported now or was there already (a resumed import). */
    public record Result(MemCube cube, boolean imported) {
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
    public Result importCube(Principal actor, String space, List<MemCube> history) {
        List<MemCube> given = importable(space, history);
        CubeId archived = given.getLast().id();
        return changes.changing(List.of(archived), () -> {
            guard.space(actor, space, Role.ADMIN);
            String key = key(archived);
            Optional<MemCube> existing = cubes.findForSystem(archived).filter(c -> c.space().equals(space))
                    .or(() -> cubes.findByIdempotencyKey(space, key, actor.id()));
            if (existing.isPresent()) {
                if (existing.get().version() == given.getLast().version()) {
                    return new Result(existing.get(), false);
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
            return new Result(live, true);
        });
    }

    /** The idempotency key an imported cube is kept under when it came in under a new id. */
    static String key(CubeId archived) {
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
}
