package dev.memos.kernel;

import dev.memos.kernel.model.Check;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.Limits;
import dev.memos.kernel.model.Source;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A request to write a new plaintext cube. Field rules are enforced when the cube is built from it;
 * here only what the cube itself does not hold is checked.
 *
 * @param idempotencyKey a caller's key: writing the same key into the same space again returns the first cube
 * @param subject the person the memory is about (null: none)
 * @param derivedFrom cubes the caller made this one from (a summary, a correction); the caller must be able
 *                    to read each; their live versions become the new cube's DERIVED_FROM lineage
 */
public record NewCube(String text, String kind, List<String> tags, Source source, String sourceRef,
                      String sessionId, Instant validFrom, Instant validTo, Instant expiresAt, Integer priority,
                      Set<String> sensitivity, String purpose, String idempotencyKey, List<CubeId> derivedFrom,
                      String subject) {
    public NewCube {
        source = Objects.requireNonNullElse(source, Source.API);
        Check.optionalText("idempotencyKey", idempotencyKey, Limits.MAX_NAME);
        Check.maxSize("derivedFrom", derivedFrom, Limits.MAX_DERIVED_FROM);
        derivedFrom = derivedFrom == null ? List.of() : derivedFrom.stream().distinct().toList();
        subject = Check.subject(subject);
    }

    /** A request about no particular person. */
    public NewCube(String text, String kind, List<String> tags, Source source, String sourceRef,
                   String sessionId, Instant validFrom, Instant validTo, Instant expiresAt, Integer priority,
                   Set<String> sensitivity, String purpose, String idempotencyKey, List<CubeId> derivedFrom) {
        this(text, kind, tags, source, sourceRef, sessionId, validFrom, validTo, expiresAt, priority, sensitivity,
                purpose, idempotencyKey, derivedFrom, null);
    }

    /** A request derived from nothing. */
    public NewCube(String text, String kind, List<String> tags, Source source, String sourceRef,
                   String sessionId, Instant validFrom, Instant validTo, Instant expiresAt, Integer priority,
                   Set<String> sensitivity, String purpose, String idempotencyKey) {
        this(text, kind, tags, source, sourceRef, sessionId, validFrom, validTo, expiresAt, priority, sensitivity,
                purpose, idempotencyKey, List.of());
    }

    /** A minimal request: text and kind, everything else defaulted. */
    public static NewCube text(String text, String kind) {
        return new NewCube(text, kind, null, null, null, null, null, null, null, null, null, null, null);
    }

    public NewCube withTags(List<String> newTags) {
        return new NewCube(text, kind, newTags, source, sourceRef, sessionId, validFrom, validTo, expiresAt, priority,
                sensitivity, purpose, idempotencyKey, derivedFrom, subject);
    }

    public NewCube withValidity(Instant from, Instant to) {
        return new NewCube(text, kind, tags, source, sourceRef, sessionId, from, to, expiresAt, priority,
                sensitivity, purpose, idempotencyKey, derivedFrom, subject);
    }

    public NewCube withGovernance(Set<String> labels, String purposeOfUse) {
        return new NewCube(text, kind, tags, source, sourceRef, sessionId, validFrom, validTo, expiresAt, priority,
                labels, purposeOfUse, idempotencyKey, derivedFrom, subject);
    }

    public NewCube withSubject(String person) {
        return new NewCube(text, kind, tags, source, sourceRef, sessionId, validFrom, validTo, expiresAt, priority,
                sensitivity, purpose, idempotencyKey, derivedFrom, person);
    }

    public NewCube withIdempotencyKey(String key) {
        return new NewCube(text, kind, tags, source, sourceRef, sessionId, validFrom, validTo, expiresAt, priority,
                sensitivity, purpose, key, derivedFrom, subject);
    }
}
