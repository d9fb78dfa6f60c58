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
    /** The data key of the free text a caller gave with a change; erasing a cube drops it from its events. */
    public static final String REASON = "reason";

    public KernelEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(occurredAt, "occurredAt");
        data = data == null ? Map.of() : Map.copyOf(data);
    }

    /** This event without the free text of its data (see {@link #REASON}). */
    public KernelEvent scrubbed() {
        Map<String, String> kept = new java.util.LinkedHashMap<>(data);
        kept.remove(REASON);
        return new KernelEvent(eventId, type, space, cubeId, version, actor, occurredAt, kept);
    }
}
