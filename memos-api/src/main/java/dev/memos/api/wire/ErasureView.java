package dev.memos.api.wire;

import dev.memos.kernel.erasure.Erasure;
import dev.memos.kernel.model.CubeId;

import java.time.Instant;
import java.util.List;

/** An erasure request and its report on the wire (docs/privacy.md). */
public record ErasureView(String id, Erasure.Scope scope, String target, String space, String requestedBy,
                          Instant requestedAt, Instant dueAt, boolean cascade, Erasure.Status status,
                          Instant completedAt, List<String> cubes, long cubeCount, List<String> derivedKept,
                          int derivedHidden, List<Erasure.Check> checks) {

    public static ErasureView of(Erasure e) {
        return new ErasureView(e.id().toString(), e.scope(), e.target(), e.space(), e.requestedBy(), e.requestedAt(),
                e.dueAt(), e.cascade(), e.status(), e.completedAt(), ids(e.cubes()), e.cubeCount(),
                ids(e.derivedKept()), e.derivedHidden(), e.checks());
    }

    private static List<String> ids(List<CubeId> ids) {
        return ids.stream().map(CubeId::toString).toList();
    }
}
