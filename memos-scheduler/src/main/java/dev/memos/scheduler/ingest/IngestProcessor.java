package dev.memos.scheduler.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memos.kernel.Directory;
import dev.memos.kernel.MemoryKernel;
import dev.memos.kernel.NewCube;
import dev.memos.kernel.access.Principal;
import dev.memos.kernel.error.ForbiddenException;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.error.MemosException;
import dev.memos.kernel.error.NotFoundException;
import dev.memos.kernel.error.UnauthenticatedException;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.Source;
import dev.memos.kernel.spi.Extractor;
import dev.memos.kernel.spi.Transactions;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one ingest record (docs/ingest.md) into plaintext cubes: parses and checks it, authenticates the
 * acting principal (the record's {@code apiKey}, else the configured service key), extracts facts and
 * writes them in one transaction, each under an idempotency key derived from the record's, so a
 * redelivered record creates nothing new and a record that fails part-way leaves nothing behind.
 * A record that can never succeed comes back as {@link Rejected}; a failure that may pass (the database is
 * away) is thrown, for the caller to retry.
 */
public final class IngestProcessor {
    public static final int SCHEMA_VERSION = 1;
    /** Most cubes one record may produce. */
    public static final int MAX_FACTS = 1_000;

    /** What became of a record. */
    public sealed interface Outcome permits Written, Rejected {
    }

    /** @param created how many of the cubes were created now (the rest existed from an earlier delivery) */
    public record Written(List<CubeId> cubes, int created) implements Outcome {
    }

    /** @param reason a stable code: malformed, too-large, invalid, unauthenticated, forbidden, unknown-space */
    public record Rejected(String reason, String message) implements Outcome {
    }

    private static final Set<String> COMMON = Set.of("schema", "type", "space", "apiKey", "idempotencyKey", "eventTime",
            "sourceRef", "sessionId", "tags", "subject");
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "turn", Set.of("speaker", "text"),
            "messages", Set.of("messages"),
            "document", Set.of("title", "text"),
            "memory", Set.of("text", "kind", "priority", "sensitivity", "purpose", "validTo", "expiresAt"));

    private final ObjectMapper json;
    private final MemoryKernel kernel;
    private final Directory directory;
    private final Transactions transactions;
    private final Extractor extractor;
    private final String serviceKey;
    private final int maxRecordBytes;

    public IngestProcessor(ObjectMapper json, MemoryKernel kernel, Directory directory, Transactions transactions,
                           Extractor extractor, String serviceKey, int maxRecordBytes) {
        this.json = json;
        this.kernel = kernel;
        this.directory = directory;
        this.transactions = transactions;
        this.extractor = extractor;
        this.serviceKey = serviceKey;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** Processes one record in its own transaction. */
    public Outcome process(byte[] record) {
        return processAll(List.of(record)).getFirst();
    }

    /**
     * Processes records in order, in one transaction when all of them can be written (one commit for the
     * lot); when one of them is refused on writing, the others are done again one transaction each, so a
     * bad record never takes good ones down with it. The outcomes are in the order of the records.
     */
    public List<Outcome> processAll(List<byte[]> records) {
        return processAll(records, null);
    }

    /**
     * {@link #processAll(List)} for records sent by {@code caller} over HTTP: the caller acts for every record,
     * which therefore must not carry an {@code apiKey}. Null: each record's key (or the service key) acts.
     */
    public List<Outcome> processAll(List<byte[]> records, Principal caller) {
        List<Object> prepared = new ArrayList<>(records.size());
        for (byte[] record : records) {
            prepared.add(prepare(record, caller));
        }
        try {
            return writeAll(prepared);
        } catch (MemosException refused) {
            Rejected rejected = rejection(refused);
            if (rejected == null) {
                throw refused;
            }
            if (prepared.size() == 1) {
                return List.of(rejected);
            }
            List<Outcome> outcomes = new ArrayList<>(prepared.size());
            for (Object one : prepared) {
                outcomes.add(processAlone(one));
            }
            return outcomes;
        }
    }

    /** One prepared record (or its rejection) in a transaction of its own. */
    private Outcome processAlone(Object prepared) {
        try {
            return writeAll(List.of(prepared)).getFirst();
        } catch (MemosException refused) {
            Rejected rejected = rejection(refused);
            if (rejected == null) {
                throw refused;
            }
            return rejected;
        }
    }

    /** Writes every prepared record in one transaction; rejections pass through as they are. */
    private List<Outcome> writeAll(List<Object> prepared) {
        return transactions.inTransaction(() -> {
            Map<String, Principal> principals = new HashMap<>();
            List<Outcome> outcomes = new ArrayList<>(prepared.size());
            for (Object p : prepared) {
                outcomes.add(p instanceof Prepared ready ? write(ready, principals) : (Rejected) p);
            }
            return outcomes;
        });
    }

    /** A refusal that will not change on a retry, or null for one that may (a conflict, the store away). */
    private static Rejected rejection(MemosException e) {
        return switch (e) {
            case InvalidException invalid -> new Rejected("invalid", invalid.getMessage());
            case UnauthenticatedException unauthenticated -> new Rejected("unauthenticated", unauthenticated.getMessage());
            case ForbiddenException forbidden -> new Rejected("forbidden", forbidden.getMessage());
            case NotFoundException notFound -> new Rejected("unknown-space", notFound.getMessage());
            default -> null;
        };
    }

    /** A checked record, ready to write. */
    private record Prepared(String apiKey, Principal caller, String space, List<NewCube> cubes) {
    }

    /** Parses and checks a record without touching the store: a {@link Prepared} or a {@link Rejected}. */
    private Object prepare(byte[] record, Principal caller) {
        if (record == null || record.length == 0) {
            return new Rejected("malformed", "the record is empty");
        }
        if (record.length > maxRecordBytes) {
            return new Rejected("too-large", "the record has " + record.length + " bytes; the limit is " + maxRecordBytes);
        }
        JsonNode node;
        try {
            node = json.readTree(record);
        } catch (IOException e) {
            return new Rejected("malformed", "not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        try {
            return prepare(node, caller);
        } catch (Invalid e) {
            return new Rejected(e.reason, e.getMessage());
        } catch (InvalidException e) {
            return new Rejected("invalid", e.getMessage());
        }
    }

    private Outcome write(Prepared record, Map<String, Principal> principals) {
        Principal actor = record.caller() != null ? record.caller()
                : principals.computeIfAbsent(record.apiKey(), directory::authenticate);
        List<CubeId> ids = new ArrayList<>(record.cubes().size());
        int created = 0;
        for (NewCube cube : record.cubes()) {
            MemoryKernel.WriteResult result = kernel.write(actor, record.space(), cube);
            ids.add(result.cube().id());
            created += result.created() ? 1 : 0;
        }
        return new Written(ids, created);
    }

    private Prepared prepare(JsonNode node, Principal caller) {
        if (node == null || !node.isObject()) {
            throw new Invalid("malformed", "a record must be a JSON object");
        }
        int schema = node.path("schema").asInt(SCHEMA_VERSION);
        if (schema != SCHEMA_VERSION) {
            throw new Invalid("invalid", "schema " + node.get("schema") + " is not supported (this build reads " + SCHEMA_VERSION + ")");
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
            if (facts.size() > MAX_FACTS) {
                throw new Invalid("too-large", "the record yields " + facts.size() + " facts; the limit is " + MAX_FACTS);
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
        return new Prepared(apiKey != null ? apiKey : serviceKey, caller, space, cubes);
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
