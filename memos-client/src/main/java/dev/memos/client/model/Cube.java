package dev.memos.client.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One version of a memory cube as the service shows it. Enumerations (tier, state, source, operation) are strings,
 * so that a client keeps working when the service learns a new value.
 *
 * @param blob the binary payload of an activation or parameter cube; null for plaintext
 */
public record Cube(String id, int version, String space, String tier, String state, String text, String kind,
                   List<String> tags, Blob blob, Provenance provenance, Time time, Governance governance, Usage usage) {

    /** @param attributes what the blob is valid for (model, context, adapters, token count, rank …) */
    public record Blob(String sha256, long size, String mediaType, String model, Map<String, String> attributes) {
    }

    /** @param derivedFrom the cubes it was made from; one the reader may not read shows as {@code redacted-<n>} */
    public record Provenance(String source, String sourceRef, String actor, String sessionId, String operation,
                             List<String> derivedFrom) {
    }

    public record Time(Instant validFrom, Instant validTo, Instant recordedAt, Instant supersededAt) {
    }

    public record Governance(String owner, Instant expiresAt, int priority, Set<String> sensitivity, String purpose,
                             String subject) {
    }

    public record Usage(long accessCount, Instant lastAccessedAt, double heat) {
    }
}
