package dev.memos.api.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memos.api.rest.ChatResource;
import dev.memos.api.rest.CubeResource;
import dev.memos.api.rest.SearchResource;
import dev.memos.api.rest.SpaceCubesResource;
import dev.memos.api.rest.SpaceResource;
import dev.memos.api.rest.SpaceSearchResource;
import dev.memos.api.wire.CubeRequests;
import dev.memos.api.wire.SearchWire;
import dev.memos.api.wire.TierWire;
import dev.memos.kernel.error.InvalidException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the MCP server offers: each tool calls the REST resource that does the same over HTTP, so validation,
 * grants, redaction and audit are the same whichever way an agent comes in. A tool's arguments are the REST
 * request's fields plus the path's (space, id).
 */
@ApplicationScoped
public class McpTools {
    static final String VERSION = "1";

    /** One tool: its JSON Schema as text, hints for the client, and the call. */
    record Spec(String name, String title, String description, String inputSchema, boolean readOnly,
                boolean destructive, boolean idempotent, Function<Arguments, Object> call) {
    }

    /** A resource or resource template ({uri} variables), read as its JSON. */
    record Readable(String uri, String name, String description, Function<String, Object> read) {
    }

    /** A tool call's arguments. */
    static final class Arguments {
        private final Map<String, Object> values;
        private final ObjectMapper json;

        Arguments(Map<String, Object> values, ObjectMapper json) {
            this.values = values;
            this.json = json;
        }

        String required(String name) {
            Object value = values.get(name);
            if (!(value instanceof String text) || text.isBlank()) {
                throw new InvalidException(name, "is required (a string)");
            }
            return text;
        }

        String string(String name) {
            Object value = values.get(name);
            return value == null ? null : String.valueOf(value);
        }

        /** The arguments but {@code path}, as the REST request body {@code type}; unknown fields are refused. */
        <T> T body(Class<T> type, String... path) {
            Map<String, Object> rest = new HashMap<>(values);
            List.of(path).forEach(rest::remove);
            return json.convertValue(rest, type);
        }
    }

    private static final String STRINGS = "{\"type\": \"array\", \"items\": {\"type\": \"string\"}}";
    private static final String TIME = "{\"type\": \"string\", \"format\": \"date-time\"}";
    private static final String ID = "\"id\": {\"type\": \"string\", \"description\": \"a cube id\"}";
    private static final String SPACE = "\"space\": {\"type\": \"string\", \"description\": \"a space name\"}";
    private static final String FIELDS = """
            "kind": {"type": "string", "description": "fact, preference, message, summary, …"},
            "tags": %1$s,
            "validFrom": %2$s, "validTo": %2$s, "expiresAt": %2$s,
            "priority": {"type": "integer"},
            "sensitivity": %1$s,
            "purpose": {"type": "string"},
            "subject": {"type": "string", "description": "the person the memory is about"}
            """.formatted(STRINGS, TIME);
    private static final Pattern CUBE_URI = Pattern.compile("memos://cubes/([^/?#]+)");
    private static final Pattern SPACE_CUBES_URI = Pattern.compile("memos://spaces/([^/?#]+)/cubes");

    private final ObjectMapper json;
    private final CubeResource cubes;
    private final SpaceCubesResource spaceCubes;
    private final SpaceResource spaces;
    private final SearchResource search;
    private final SpaceSearchResource spaceSearch;
    private final ChatResource chat;

    public McpTools(ObjectMapper json, CubeResource cubes, SpaceCubesResource spaceCubes, SpaceResource spaces,
                    SearchResource search, SpaceSearchResource spaceSearch, ChatResource chat) {
        this.json = json;
        this.cubes = cubes;
        this.spaceCubes = spaceCubes;
        this.spaces = spaces;
        this.search = search;
        this.spaceSearch = spaceSearch;
        this.chat = chat;
    }

    List<Spec> specifications() {
        return List.of(
                new Spec("add_memory", "Add a memory", "Writes a memory (a plaintext cube) into a space. With an "
                        + "idempotencyKey a repeated call returns the first memory instead of writing twice.",
                        object(List.of("space", "text"), SPACE + ", \"text\": {\"type\": \"string\"}, " + FIELDS + """
                                , "sessionId": {"type": "string"}, "sourceRef": {"type": "string"},
                                "source": {"type": "string", "description": "conversation, document or api"},
                                "idempotencyKey": {"type": "string"}, "derivedFrom": %s""".formatted(STRINGS)),
                        false, false, false,
                        a -> spaceCubes.create(a.required("space"), null, a.body(CubeRequests.Create.class, "space"))),
                new Spec("search_memories", "Search memories", "Hybrid (keyword + vector) search over the memories "
                        + "of one space, or of every space the key may read when space is left out; best first, "
                        + "with scores (explain: true for the breakdown).",
                        object(List.of("query"), SPACE + """
                                , "query": {"type": "string"}, "k": {"type": "integer", "minimum": 1},
                                "mode": {"type": "string", "enum": ["hybrid", "keyword", "vector"]},
                                "filters": {"type": "object"}, "explain": {"type": "boolean"},
                                "consistency": {"type": "string", "enum": ["eventual", "read-your-writes"]},
                                "asOf": %1$s, "waitMs": {"type": "integer"},
                                "time": {"type": "string", "enum": ["off", "boost", "filter"]},
                                "timeReference": %1$s""".formatted(TIME)),
                        true, false, true, a -> {
                            SearchWire.Request request = a.body(SearchWire.Request.class, "space");
                            String space = a.string("space");
                            return space == null ? search.searchAll(request) : spaceSearch.search(space, request);
                        }),
                new Spec("get_memory", "Read a memory", "The live version of a memory, or with asOf the version "
                        + "memos held as current at that recorded time.",
                        object(List.of("id"), ID + ", \"asOf\": " + TIME),
                        true, false, true, a -> cubes.get(a.required("id"), a.string("asOf"))),
                new Spec("update_memory", "Change a memory", "Writes version n+1 of a memory with the fields given. "
                        + "version is the version the change is based on (a stale one is refused: read it again).",
                        object(List.of("id", "version"), ID + ", \"version\": {\"type\": \"integer\", \"minimum\": 1},"
                                + " \"text\": {\"type\": \"string\"}, \"clearExpiresAt\": {\"type\": \"boolean\"}, "
                                + FIELDS),
                        false, false, false, a -> cubes.patch(a.required("id"), "\"" + version(a) + "\"",
                        a.body(CubeRequests.Patch.class, "id", "version"))),
                new Spec("delete_memory", "Delete and erase a memory", "Deletes a memory and erases its content "
                        + "everywhere memos keeps it; returns the erasure request (its report says what was removed). "
                        + "cascade: erase the memories derived from it too.",
                        object(List.of("id"), ID + ", \"cascade\": {\"type\": \"boolean\"}, \"reason\": {\"type\": \"string\"}"),
                        false, true, true, a -> cubes.delete(a.required("id"),
                        Boolean.TRUE.equals(a.values.get("cascade")) ? "true" : null, a.string("reason"))),
                new Spec("memory_history", "A memory's history", "Every version of a memory, oldest first.",
                        object(List.of("id"), ID), true, false, true, a -> cubes.versions(a.required("id"))),
                new Spec("memory_lineage", "A memory's lineage", "Where a memory came from and what became of it: "
                        + "versions, derivations, merges, migrations (a graph; unreadable nodes are redacted).",
                        object(List.of("id"), ID + """
                                , "direction": {"type": "string", "enum": ["ancestors", "descendants", "both"]},
                                "depth": {"type": "integer", "minimum": 0}"""),
                        true, false, true, a -> cubes.lineage(a.required("id"), a.string("direction"), a.string("depth"))),
                new Spec("list_spaces", "List spaces", "The spaces this key may read, with its role in each.",
                        object(List.of(), ""), true, false, true, a -> spaces.list()),
                new Spec("chat", "Chat with a space's memories", "Answers the messages with the space's memories "
                        + "(recalled plaintext, its activation and parameter cubes) on the configured inference "
                        + "engine; remember: true writes the exchange back as memories.",
                        object(List.of("space", "messages"), SPACE + """
                                , "messages": {"type": "array", "items": {"type": "object",
                                    "properties": {"role": {"type": "string", "enum": ["system", "user", "assistant"]},
                                                   "content": {"type": "string"}},
                                    "required": ["role", "content"]}},
                                "k": {"type": "integer", "minimum": 0}, "remember": {"type": "boolean"},
                                "sessionId": {"type": "string"}, "maxTokens": {"type": "integer"},
                                "temperature": {"type": "number"}, "seed": {"type": "integer"},
                                "idempotencyKey": {"type": "string"}"""),
                        false, false, false,
                        a -> chat.chat(a.required("space"), a.body(TierWire.ChatRequest.class, "space"))));
    }

    List<Readable> resources() {
        return List.of(new Readable("memos://spaces", "spaces", "The spaces this key may read.", uri -> spaces.list()));
    }

    List<Readable> templates() {
        return List.of(
                new Readable("memos://cubes/{id}", "cube", "A memory (its live version) by id.",
                        uri -> cubes.get(match(CUBE_URI, uri), null)),
                new Readable("memos://spaces/{space}/cubes", "space-cubes", "The first page of a space's memories.",
                        uri -> spaceCubes.list(match(SPACE_CUBES_URI, uri), null, null, null, null, null, null, null)));
    }

    private static String match(Pattern pattern, String uri) {
        Matcher m = pattern.matcher(uri);
        if (!m.matches()) {
            throw new InvalidException("uri", "'" + uri + "' is not a memos resource");
        }
        return java.net.URLDecoder.decode(m.group(1), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static int version(Arguments a) {
        if (!(a.values.get("version") instanceof Number n) || n.intValue() < 1 || n.doubleValue() != n.intValue()) {
            throw new InvalidException("version", "is required: the version your change is based on (an integer ≥ 1)");
        }
        return n.intValue();
    }

    /** A JSON Schema object with these properties (given as JSON members) and required names; no others. */
    private static String object(List<String> required, String properties) {
        return "{\"type\": \"object\", \"properties\": {" + properties + "}, \"required\": "
                + required.stream().map(r -> "\"" + r + "\"").toList() + ", \"additionalProperties\": false}";
    }
}
