package dev.memos.kernel;

import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.event.Decision;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.Governance;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.Limits;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.Operation;
import dev.memos.kernel.model.Provenance;
import dev.memos.kernel.model.Source;
import dev.memos.kernel.model.Temporal;
import dev.memos.kernel.model.TextPayload;
import dev.memos.kernel.model.Tier;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The rule of a fusion, apart from storing it: which sources may be fused, and what the fused cube's header is. The
 * fused cube keeps the text and kind of {@code textFrom} (default: the first source, the oldest by id), the union of
 * tags and sensitivity labels, the highest priority, the earliest validFrom, the latest expiry when every source
 * expires (else none), ACTIVATED when a source is, and names the sources in {@code derivedFrom}.
 */
public final class Fusion {
    private Fusion() {
    }

    /** Refuses a fusion of fewer than two different cubes, or keeping the text of a cube that is not a source. */
    public static void requireFusible(List<CubeId> sourceIds, CubeId textFrom) {
        if (sourceIds == null || sourceIds.stream().distinct().count() < 2) {
            throw new InvalidException("sources", "a consolidation needs two different cubes or more");
        }
        if (textFrom != null && !sourceIds.contains(textFrom)) {
            throw new InvalidException("textFrom", "must be one of the sources");
        }
    }

    /** Whether {@code cube} may join a fusion in {@code space}: plaintext, of that space, and able to become MERGED. */
    public static boolean canJoin(MemCube cube, String space) {
        LifecycleState via = cube.state() == LifecycleState.GENERATED ? LifecycleState.ACTIVATED : cube.state();
        return cube.payload() instanceof TextPayload && cube.space().equals(space)
                && dev.memos.kernel.model.Lifecycle.isLegal(via, LifecycleState.MERGED);
    }

    /** The fused cube of {@code sources} (each {@link #canJoin} the first's space), as version 1 with id {@code id}. */
    public static MemCube fuse(List<MemCube> sources, CubeId textFrom, CubeId id, Instant now) {
        requireFusible(sources.stream().map(MemCube::id).toList(), textFrom);
        MemCube first = sources.getFirst();
        for (MemCube source : sources) {
            if (!canJoin(source, first.space())) {
                throw new InvalidException("sources", "cube " + source.id() + " cannot be fused into " + first.space());
            }
        }
        TextPayload text = (TextPayload) sources.stream().filter(c -> c.id().equals(textFrom)).findFirst()
                .orElse(first).payload();
        LinkedHashSet<String> tags = new LinkedHashSet<>();
        TreeSet<String> sensitivity = new TreeSet<>();
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
                .id(id)
                .space(first.space())
                .tier(Tier.PLAINTEXT)
                .state(activated ? LifecycleState.ACTIVATED : LifecycleState.GENERATED)
                .payload(new TextPayload(text.text(), text.kind(), tags.stream().limit(Limits.MAX_TAGS).toList()))
                .provenance(new Provenance(Source.DERIVATION, first.provenance().sourceRef(), Decision.SCHEDULER, null,
                        Operation.MERGE, sources.stream().map(MemCube::id).toList()))
                .time(new Temporal(validFrom, null, now, null))
                .governance(new Governance(first.governance().owner(), expires ? expiresAt : null, priority,
                        sensitivity.stream().limit(Limits.MAX_SENSITIVITY_LABELS).collect(Collectors.toSet()),
                        first.governance().purpose(), first.governance().subject()))
                .build();
    }
}
