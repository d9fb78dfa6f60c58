package dev.memos.client.model;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A plaintext cube to write. Start with {@link #of(String)} and add what you need; the client gives a write
 * without an idempotency key one of its own, so that a retried write cannot store the memory twice.
 */
public record NewCube(String text, String kind, List<String> tags, String source, String sourceRef, String sessionId,
                      Instant validFrom, Instant validTo, Instant expiresAt, Integer priority, Set<String> sensitivity,
                      String purpose, String idempotencyKey, List<String> derivedFrom, String subject) {

    public static NewCube of(String text) {
        return new NewCube(text, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public NewCube kind(String kind) {
        return new NewCube(text, kind, tags, source, sourceRef, sessionId, validFrom, validTo, expiresAt, priority,
                sensitivity, purpose, idempotencyKey, derivedFrom, subject);
    }

    public NewCube tags(List<String> tags) {
        return new NewCube(text, kind, tags, source, sourceRef, sessionId, validFrom, validTo, expiresAt, priority,
                sensitivity, purpose, idempotencyKey, derivedFrom, subject);
    }

    /** Where it came from ({@code conversation}, {@code document}, {@code api}) and a reference into that source. */
    public NewCube source(String source, String sourceRef) {
        return new NewCube(text, kind, tags, source, sourceRef, sessionId, validFrom, validTo, expiresAt, priority,
                sensitivity, purpose, idempotencyKey, derivedFrom, subject);
    }

    public NewCube session(String sessionId) {
        return new NewCube(text, kind, tags, source, sourceRef, sessionId, validFrom, validTo, expiresAt, priority,
                sensitivity, purpose, idempotencyKey, derivedFrom, subject);
    }

    /** When the fact holds. */
    public NewCube valid(Instant validFrom, Instant validTo) {
        return new NewCube(text, kind, tags, source, sourceRef, sessionId, validFrom, validTo, expiresAt, priority,
                sensitivity, purpose, idempotencyKey, derivedFrom, subject);
    }

    public NewCube expiresAt(Instant expiresAt) {
        return new NewCube(text, kind, tags, source, sourceRef, sessionId, validFrom, validTo, expiresAt, priority,
                sensitivity, purpose, idempotencyKey, derivedFrom, subject);
    }

    public NewCube priority(Integer priority) {
        return new NewCube(text, kind, tags, source, sourceRef, sessionId, validFrom, validTo, expiresAt, priority,
                sensitivity, purpose, idempotencyKey, derivedFrom, subject);
    }

    public NewCube governance(Set<String> sensitivity, String purpose) {
        return new NewCube(text, kind, tags, source, sourceRef, sessionId, validFrom, validTo, expiresAt, priority,
                sensitivity, purpose, idempotencyKey, derivedFrom, subject);
    }

    public NewCube idempotencyKey(String idempotencyKey) {
        return new NewCube(text, kind, tags, source, sourceRef, sessionId, validFrom, validTo, expiresAt, priority,
                sensitivity, purpose, idempotencyKey, derivedFrom, subject);
    }

    public NewCube derivedFrom(List<String> derivedFrom) {
        return new NewCube(text, kind, tags, source, sourceRef, sessionId, validFrom, validTo, expiresAt, priority,
                sensitivity, purpose, idempotencyKey, derivedFrom, subject);
    }

    /** The person the memory is about. */
    public NewCube subject(String subject) {
        return new NewCube(text, kind, tags, source, sourceRef, sessionId, validFrom, validTo, expiresAt, priority,
                sensitivity, purpose, idempotencyKey, derivedFrom, subject);
    }
}
