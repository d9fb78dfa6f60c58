package dev.memos.scheduler.bus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memos.kernel.event.EventType;
import dev.memos.kernel.event.KernelEvent;
import dev.memos.kernel.model.CubeId;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The wire form of a kernel event on the bus (docs/events.md): a JSON object with {@code schema}
 * ({@link KernelEvent#SCHEMA_VERSION}), {@code eventId}, {@code type}, {@code space}, {@code cubeId},
 * {@code version}, {@code actor}, {@code occurredAt} and {@code data}. Readers ignore unknown fields and
 * refuse a newer schema.
 */
public final class EventJson {
    private final ObjectMapper json;

    public EventJson(ObjectMapper json) {
        this.json = json;
    }

    public byte[] write(KernelEvent event) {
        ObjectNode node = json.createObjectNode();
        node.put("schema", KernelEvent.SCHEMA_VERSION);
        node.put("eventId", event.eventId().toString());
        node.put("type", event.type().wireName());
        node.put("space", event.space());
        node.put("cubeId", event.cubeId() == null ? null : event.cubeId().toString());
        node.put("version", event.version());
        node.put("actor", event.actor());
        node.put("occurredAt", event.occurredAt().toString());
        ObjectNode data = node.putObject("data");
        event.data().forEach(data::put);
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** @throws IllegalArgumentException when the bytes are not an event of a schema this build reads */
    public KernelEvent read(byte[] bytes) {
        JsonNode node;
        try {
            node = json.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("an event must be a JSON object");
        }
        int schema = node.path("schema").asInt(0);
        if (schema < 1 || schema > KernelEvent.SCHEMA_VERSION) {
            throw new IllegalArgumentException("event schema " + schema + " is not readable by this build (reads 1.."
                    + KernelEvent.SCHEMA_VERSION + ")");
        }
        Map<String, String> data = new LinkedHashMap<>();
        node.path("data").properties().forEach(e -> data.put(e.getKey(), e.getValue().asText()));
        String cube = node.path("cubeId").asText(null);
        try {
            return new KernelEvent(UUID.fromString(text(node, "eventId")), EventType.fromWireName(text(node, "type")),
                    text(node, "space"), cube == null ? null : CubeId.parse(cube), node.path("version").asInt(0),
                    text(node, "actor"), Instant.parse(text(node, "occurredAt")), data);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed event: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("event field " + field + " is missing");
        }
        return value.asText();
    }
}
