package dev.memos.kernel.model;

import java.util.List;
import java.util.Objects;

/**
 * Where a cube version came from and who made it.
 *
 * @param source the kind of origin
 * @param sourceRef a pointer into that origin (message id, topic/partition/offset, file), may be null
 * @param actor the principal id that wrote it
 * @param sessionId the conversation or work session, may be null
 * @param operation the kernel operation that produced this version
 * @param derivedFrom the cubes this one was made from (fusion, migration), empty for originals
 */
public record Provenance(Source source, String sourceRef, String actor, String sessionId,
                         Operation operation, List<CubeId> derivedFrom) {
    public Provenance {
        Objects.requireNonNull(source, "source");
        Check.optionalText("sourceRef", sourceRef, Limits.MAX_REF);
        Objects.requireNonNull(actor, "actor");
        Check.optionalText("sessionId", sessionId, Limits.MAX_NAME);
        Objects.requireNonNull(operation, "operation");
        Check.maxSize("derivedFrom", derivedFrom, Limits.MAX_DERIVED_FROM);
        if (derivedFrom != null && derivedFrom.stream().anyMatch(java.util.Objects::isNull)) {
            throw new dev.memos.kernel.error.InvalidException("derivedFrom", "must not contain null");
        }
        derivedFrom = derivedFrom == null ? List.of() : List.copyOf(derivedFrom);
    }

    /** The same origin, re-attributed to the operation and actor that made a later version. */
    public Provenance madeBy(String newActor, Operation newOperation) {
        return new Provenance(source, sourceRef, newActor, sessionId, newOperation, derivedFrom);
    }
}
