package dev.memos.kernel.event;

import dev.memos.kernel.model.CubeId;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Something that happened in the kernel, written to the outbox in the same transaction as the
 * change itself. Consumers deduplicate by {@link #eventId()}.
 *
 * @param cubeId null for events about a space or a grant
 * @param version the cube version the event concerns, 0 when none
 * @param data event-specific attributes (state moves, reasons, roles …)
 */
public record KernelEvent(UUID eventId, EventType type, String space, CubeId cubeId, int version, String actor,
                          Instant occurredAt, Map<String, String> data) {
    /** Bumped when a field changes meaning or goes away; added fields do not bump it. */
    public static final int SCHEMA_VERSION = 1;

    public KernelEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(occurredAt, "occurredAt");
        data = data == null ? Map.of() : Map.copyOf(data);
    }
}
