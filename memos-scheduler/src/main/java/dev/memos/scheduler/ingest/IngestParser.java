package dev.memos.scheduler.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memos.kernel.NewCube;
import dev.memos.kernel.access.Principal;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.model.Source;
import dev.memos.kernel.spi.Extractor;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one ingest record (docs/ingest.md) into the cubes it asks for, without touching the store: checks size,
 * JSON, schema, type and fields, and runs the extractor on conversations and documents. The outcome is a
 * {@link ParsedRecord}: ready to write, or rejected with a stable reason code.
 */
final class IngestParser {
    private static final Set<String> COMMON = Set.of("schema", "type", "space", "apiKey", "idempotencyKey", "eventTime",
            "sourceRef", "sessionId", "tags", "subject");
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "turn", Set.of("speaker", "text"),
            "messages", Set.of("messages"),
            "document", Set.of("title", "text"),
            "memory", Set.of("text", "kind", "priority", "sensitivity", "purpose", "validTo", "expiresAt"));

    private final ObjectMapper json;
    private final Extractor extractor;
    private final String serviceKey;
    private final int maxRecordBytes;

    IngestParser(ObjectMapper json, Extractor extractor, String serviceKey, int maxRecordBytes) {
        this.json = json;
        this.extractor = extractor;
        this.serviceKey = serviceKey;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** Parses and checks a record without touching the store. */
    public ParsedRecord parse(byte[] record, Principal caller) {
        if (record == null || record.length == 0) {
            return new IngestProcessor.Rejected("malformed", "the record is empty");
        }
        if (record.length > maxRecordBytes) {
            return new IngestProcessor.Rejected("too-large", "the record has " + record.length + " bytes; the limit is " + maxRecordBytes);
        }
        JsonNode node;
        try {
            node = json.readTree(record);
        } catch (IOException e) {
            return new IngestProcessor.Rejected("malformed", "not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        try {
            return parse(node, caller);
        } catch (Invalid e) {
            return new IngestProcessor.Rejected(e.reason, e.getMessage());
        } catch (InvalidException e) {
            return new IngestProcessor.Rejected("invalid", e.getMessage());
        }
    }

    private ParsedRecord.Ready parse(JsonNode node, Principal caller) {
        if (node == null || !node.isObject()) {
            throw new Invalid("malformed", "a record must be a JSON object");
        }
        int schema = node.path("schema").asInt(IngestProcessor.SCHEMA_VERSION);
        if (schema != IngestProcessor.SCHEMA_VERSION) {
            throw new Invalid("invalid", "schema " + node.get("schema") + " is not supported (this build reads "
                    + IngestProcessor.SCHEMA_VERSION + ")");
        }
        String type = text(node, "type", true);
        Set<String> allowed = FIELDS.get(type);
        if (allowed == null) {
            throw new Invalid("invalid", "type must be one of turn, messages, document, memory, not '" + type + "'");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!COMMON.contains(name) && !allowed.contains(name)) {
                throw new Invalid("invalid", "unknown field '" + name + "' for type " + type);
            }
        }
        String space = text(node, "space", true);
        String key = text(node, "idempotencyKey", true);
        String apiKey = text(node, "apiKey", false);
        if (caller != null && apiKey != null) {
            throw new Invalid("invalid", "apiKey is not accepted here: the request's own key acts for every record");
        }
        if (caller == null && apiKey == null && serviceKey == null) {
            throw new Invalid("unauthenticated", "the record has no apiKey and no service key is configured "
                    + "(memos.ingest.api-key)");
        }
        Instant eventTime = instant(node, "eventTime");
        String sourceRef = text(node, "sourceRef", false);
        String sessionId = text(node, "sessionId", false);
        List<String> tags = strings(node, "tags");
        String subject = text(node, "subject", false);

        List<NewCube> cubes = new ArrayList<>();
        if (type.equals("memory")) {
            Integer priority = node.hasNonNull("priority") ? integer(node, "priority") : null;
            cubes.add(new NewCube(text(node, "text", true), text(node, "kind", false), tags, Source.KAFKA, sourceRef,
                    sessionId, eventTime, instant(node, "validTo"), instant(node, "expiresAt"), priority,
                    node.has("sensitivity") ? new HashSet<>(strings(node, "sensitivity")) : null,
                    text(node, "purpose", false), key, List.of(), subject));
        } else {
            List<Extractor.Fact> facts = extractor.extract(material(type, node, sourceRef, eventTime));
            if (facts.size() > IngestProcessor.MAX_FACTS) {
                throw new Invalid("too-large", "the record yields " + facts.size() + " facts; the limit is "
                        + IngestProcessor.MAX_FACTS);
            }
            boolean document = type.equals("document");
            String kind = document ? "document-fact" : "message";
            Source source = document ? Source.DOCUMENT : Source.CONVERSATION;
            for (int i = 0; i < facts.size(); i++) {
                Extractor.Fact fact = facts.get(i);
                // a conversation fact is about its speaker unless the record names the subject
                String about = subject != null ? subject : document ? null : fact.speaker();
                cubes.add(new NewCube(fact.text(), kind, tags, source, fact.sourceRef(), sessionId, fact.time(),
                        null, null, null, null, null, facts.size() == 1 ? key : key + "#" + (i + 1), List.of(), about));
            }
        }
        if (cubes.isEmpty()) {
            throw new Invalid("invalid", "the record holds no text to remember");
        }
        return new ParsedRecord.Ready(apiKey != null ? apiKey : serviceKey, caller, space, cubes);
    }

    private Extractor.Material material(String type, JsonNode node, String sourceRef, Instant eventTime) {
        return switch (type) {
            case "turn" -> new Extractor.Material(List.of(new Extractor.Message(text(node, "speaker", false),
                    text(node, "text", true), eventTime)), null, null, sourceRef, eventTime);
            case "messages" -> {
                JsonNode list = node.get("messages");
                if (list == null || !list.isArray() || list.isEmpty()) {
                    throw new Invalid("invalid", "messages must be a non-empty array");
                }
                List<Extractor.Message> messages = new ArrayList<>();
                for (JsonNode m : list) {
                    if (!m.isObject()) {
                        throw new Invalid("invalid", "each message must be an object with speaker and text");
                    }
                    Instant time = instant(m, "time");
                    messages.add(new Extractor.Message(text(m, "speaker", false), text(m, "text", true),
                            time != null ? time : eventTime));
                }
                yield new Extractor.Material(messages, null, null, sourceRef, eventTime);
            }
            default -> new Extractor.Material(List.of(), text(node, "title", false), text(node, "text", true), sourceRef,
                    eventTime);
        };
    }

    private static String text(JsonNode node, String field, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new Invalid("invalid", field + " is required");
            }
            return null;
        }
        if (!value.isTextual() || (required && value.asText().isBlank())) {
            throw new Invalid("invalid", field + " must be " + (required ? "a non-empty string" : "a string"));
        }
        return value.asText();
    }

    private static Integer integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (!value.isInt()) {
            throw new Invalid("invalid", field + " must be an integer");
        }
        return value.asInt();
    }

    private static Instant instant(JsonNode node, String field) {
        String value = text(node, field, false);
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new Invalid("invalid", field + " must be an ISO-8601 instant such as 2026-05-01T10:00:00Z, not '" + value + "'");
        }
    }

    private static List<String> strings(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw new Invalid("invalid", field + " must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new Invalid("invalid", field + " must be an array of strings");
            }
            out.add(item.asText());
        }
        return out;
    }

    /** A record that can never be written, with its reason code. */
    private static final class Invalid extends RuntimeException {
        private final String reason;

        Invalid(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }
}
