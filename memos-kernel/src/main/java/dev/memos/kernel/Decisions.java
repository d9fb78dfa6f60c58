package dev.memos.kernel;

import dev.memos.kernel.error.ConflictException;
import dev.memos.kernel.event.Decision;
import dev.memos.kernel.event.EventType;
import dev.memos.kernel.event.KernelEvent;
import dev.memos.kernel.lineage.LineageFacts;
import dev.memos.kernel.lineage.VersionRef;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.Lifecycle;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.Payload;
import dev.memos.kernel.spi.CubeStore;
import dev.memos.kernel.spi.Outbox;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Moves and fusions on memos' own decision (the scheduler's policies), not a principal's: no grant applies, the
 * actor is {@link Decision#SCHEDULER} and the decision (policy, reason, inputs) travels in each event. A decision
 * taken on a stale view (a user or another instance moved the cube meanwhile) changes nothing.
 */
public final class Decisions {
    private final CubeStore cubes;
    private final Outbox outbox;
    private final Clock clock;
    private final Changes changes;

    Decisions(CubeStore cubes, Outbox outbox, Clock clock, Changes changes) {
        this.cubes = cubes;
        this.outbox = outbox;
        this.clock = clock;
        this.changes = changes;
    }

    /**
     * Moves a cube along the lifecycle. To DELETED it purges the payload like {@link MemoryKernel#delete}. Empty when
     * the cube is gone or no longer in {@code expected}, so a policy acting on a stale list changes nothing.
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
        return changes.changing(List.of(id), () -> {
            Optional<MemCube> current = cubes.findForSystem(id);
            if (current.isEmpty() || current.get().state() != expected) {
                return Optional.empty();
            }
            cubes.moveForSystem(id, expected, target, clock.instant());
            MemCube moved = current.get().toBuilder().state(target)
                    .payload(target == LifecycleState.DELETED ? Payload.Purged.INSTANCE : current.get().payload()).build();
            Map<String, String> data = new LinkedHashMap<>(Changes.transitionData(expected, target, decision.reason()));
            data.putAll(decision.data());
            outbox.append(new KernelEvent(UUID.randomUUID(), target == LifecycleState.DELETED ? EventType.CUBE_DELETED
                    : EventType.CUBE_TRANSITIONED, moved.space(), id, moved.version(), Decision.SCHEDULER,
                    clock.instant(), data));
            if (target == LifecycleState.DELETED) {
                changes.workingSet().invalidate(Activations.deleteActivationsOf(cubes, outbox, clock.instant(), current.get()));
            }
            return Optional.of(moved);
        });
    }

    /**
     * Fuses plaintext cubes of one space into one new cube ({@link Fusion}: the oldest source's text); each source
     * becomes MERGED (a GENERATED one passes through ACTIVATED) and stays readable. Empty, changing nothing, when a
     * source is gone, not GENERATED or ACTIVATED, of another space, or not plaintext.
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
        Fusion.requireFusible(sourceIds, textFrom);
        try {
            return consolidated(sourceIds, textFrom, decision);
        } catch (ConflictException movedMeanwhile) {
            return Optional.empty(); // a source moved between our read and write: nothing was changed
        }
    }

    private Optional<MemCube> consolidated(List<CubeId> sourceIds, CubeId textFrom, Decision decision) {
        return changes.changing(sourceIds, () -> {
            List<MemCube> sources = new ArrayList<>();
            for (CubeId id : sourceIds.stream().sorted().distinct().toList()) {
                Optional<MemCube> cube = cubes.findForSystem(id);
                if (cube.isEmpty() || !Fusion.canJoin(cube.get(), sources.isEmpty() ? cube.get().space()
                        : sources.getFirst().space())) {
                    return Optional.<MemCube>empty();
                }
                sources.add(cube.get());
            }
            MemCube fused = Fusion.fuse(sources, textFrom, CubeId.next(clock), clock.instant());
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
                Map<String, String> data = new LinkedHashMap<>(Changes.transitionData(source.state(), LifecycleState.MERGED,
                        decision.reason()));
                data.putAll(decision.data());
                data.put(LineageFacts.MERGED_INTO, fused.id().toString());
                outbox.append(new KernelEvent(UUID.randomUUID(), EventType.CUBE_TRANSITIONED, source.space(), source.id(),
                        source.version(), Decision.SCHEDULER, clock.instant(), data));
            }
            return Optional.of(fused);
        });
    }
}
