package dev.memos.api;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.memos.api.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The MCP server end to end with the official SDK's client over streamable HTTP. */
@QuarkusTest
@QuarkusTestResource(TinyModelResource.class)
class McpServerTest {
    /**
     * The client's mapper resolves deduced subtypes by name with this class's loader: on the HTTP client's threads
     * the context loader is the JVM's, which would load a second copy of the SDK beside Quarkus' test copy.
     */
    private static final McpJsonMapper JSON = new JacksonMcpJsonMapper(new com.fasterxml.jackson.databind.ObjectMapper()
            .setTypeFactory(com.fasterxml.jackson.databind.type.TypeFactory.defaultInstance()
                    .withClassLoader(McpServerTest.class.getClassLoader())));
    private final List<McpSyncClient> clients = new ArrayList<>();
    private String key;
    private String space;
    private McpSyncClient mcp;

    @BeforeEach
    void setUp() {
        key = Api.principal("mcp-agent")[1];
        space = Api.space(key);
        mcp = client(key);
    }

    @AfterEach
    void close() {
        clients.forEach(McpSyncClient::closeGracefully);
    }

    private McpSyncClient client(String apiKey) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
                .builder("http://127.0.0.1:" + RestAssured.port)
                .endpoint("/mcp")
                .jsonMapper(JSON)
                .httpRequestCustomizer((request, method, uri, body, context) ->
                        request.header("Authorization", "Bearer " + apiKey))
                .build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60)).build();
        clients.add(client);
        client.initialize();
        return client;
    }

    private static McpSchema.CallToolResult call(McpSyncClient client, String tool, Map<String, Object> arguments) {
        return client.callTool(new McpSchema.CallToolRequest(tool, arguments, null));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> ok(McpSchema.CallToolResult result) {
        assertFalse(Boolean.TRUE.equals(result.isError()), () -> "tool error: " + result.content());
        return (Map<String, Object>) result.structuredContent();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> error(McpSchema.CallToolResult result) {
        assertTrue(Boolean.TRUE.equals(result.isError()), () -> "expected a tool error, got " + result.content());
        return (Map<String, Object>) result.structuredContent();
    }

    /** The Java example of docs/agents.md, as written there (DocSnippetsTest keeps them the same). */
    @Test
    void the_documented_example_runs() {
        String url = "http://127.0.0.1:" + RestAssured.port;
        Api.cube(key, space, "Dana keeps bees on the roof");
        // --- docs/agents.md ---
        var transport = HttpClientStreamableHttpTransport.builder(url)   // e.g. "http://127.0.0.1:8080"
                .endpoint("/mcp")
                .httpRequestCustomizer((request, method, uri, body, context) ->
                        request.header("Authorization", "Bearer " + key))
                .build();
        McpSyncClient client = McpClient.sync(transport).build();
        client.initialize();
        McpSchema.CallToolResult found = client.callTool(new McpSchema.CallToolRequest("search_memories",
                Map.of("space", space, "query", "What does Dana keep on the roof?",
                "consistency", "read-your-writes"), null));   // wait for writes made before it
        System.out.println(found.structuredContent());
        client.closeGracefully();
        // --- end ---
        assertFalse(Boolean.TRUE.equals(found.isError()), found.toString());
        assertTrue(found.structuredContent().toString().contains("Dana keeps bees on the roof"), found.toString());
    }

    @Test
    void initialises_and_lists_its_tools_and_resources() {
        assertEquals("memos", mcp.getServerInfo().name());
        List<String> tools = mcp.listTools().tools().stream().map(McpSchema.Tool::name).toList();
        assertEquals(List.of("add_memory", "search_memories", "get_memory", "update_memory", "delete_memory",
                "memory_history", "memory_lineage", "list_spaces", "chat"), tools);
        McpSchema.Tool delete = mcp.listTools().tools().stream().filter(t -> t.name().equals("delete_memory"))
                .findFirst().orElseThrow();
        assertEquals(Boolean.TRUE, delete.annotations().destructiveHint());
        assertEquals(List.of("memos://spaces"), mcp.listResources().resources().stream().map(McpSchema.Resource::uri).toList());
        assertEquals(List.of("memos://cubes/{id}", "memos://spaces/{space}/cubes"), mcp.listResourceTemplates()
                .resourceTemplates().stream().map(McpSchema.ResourceTemplate::uriTemplate).sorted().toList());
    }

    @Test
    void an_agent_adds_finds_changes_and_erases_a_memory() {
        Map<String, Object> added = ok(call(mcp, "add_memory", Map.of("space", space,
                "text", "Dana keeps bees on the roof", "tags", List.of("hobby"), "subject", "Dana")));
        String id = (String) added.get("id");
        assertEquals(1, added.get("version"));

        Map<String, Object> found = ok(call(mcp, "search_memories", Map.of("space", space, "query", "Who keeps bees?",
                "consistency", "read-your-writes", "k", 1)));
        assertEquals(id, ((Map<?, ?>) ((Map<?, ?>) ((List<?>) found.get("hits")).get(0)).get("cube")).get("id"));
        Map<String, Object> everywhere = ok(call(mcp, "search_memories", Map.of("query", "bees on the roof",
                "consistency", "read-your-writes")));
        assertFalse(((List<?>) everywhere.get("hits")).isEmpty());

        Map<String, Object> changed = ok(call(mcp, "update_memory", Map.of("id", id, "version", 1,
                "text", "Dana keeps bees on the roof and in the garden")));
        assertEquals(2, changed.get("version"));
        Map<String, Object> stale = error(call(mcp, "update_memory", Map.of("id", id, "version", 1, "text", "x")));
        assertEquals(412, stale.get("status"));

        List<?> history = (List<?>) ok(call(mcp, "memory_history", Map.of("id", id))).get("items");
        assertEquals(2, history.size());
        assertEquals("Dana keeps bees on the roof", ((Map<?, ?>) history.get(0)).get("text"));
        // the lineage recorder runs after the commit: the update's edge appears shortly after
        List<?> nodes = org.awaitility.Awaitility.await("the update's lineage").atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(50)).until(() -> (List<?>) ok(call(mcp, "memory_lineage",
                        Map.of("id", id, "direction", "ancestors"))).get("nodes"), n -> n.size() >= 2);
        assertEquals(2, nodes.size());
        assertEquals(id, ok(call(mcp, "get_memory", Map.of("id", id))).get("id"));

        McpSchema.ReadResourceResult read = mcp.readResource(new McpSchema.ReadResourceRequest("memos://cubes/" + id, null));
        assertTrue(((McpSchema.TextResourceContents) read.contents().get(0)).text().contains("in the garden"));
        McpSchema.ReadResourceResult listed = mcp.readResource(new McpSchema.ReadResourceRequest(
                "memos://spaces/" + space + "/cubes", null));
        assertTrue(((McpSchema.TextResourceContents) listed.contents().get(0)).text().contains(id));

        Map<String, Object> erasure = ok(call(mcp, "delete_memory", Map.of("id", id, "reason", "asked to forget")));
        assertEquals("CUBE", erasure.get("scope"));
        Map<String, Object> tombstone = ok(call(mcp, "get_memory", Map.of("id", id)));
        assertEquals("DELETED", tombstone.get("state"));
        assertFalse(tombstone.containsKey("text"), "a tombstone keeps no content");
        McpError missing = assertThrows(McpError.class, () -> mcp.readResource(
                new McpSchema.ReadResourceRequest("memos://cubes/" + java.util.UUID.randomUUID(), null)));
        assertEquals(McpSchema.ErrorCodes.RESOURCE_NOT_FOUND, missing.getJsonRpcError().code());
    }

    @Test
    void bad_arguments_are_tool_errors_and_an_unknown_tool_a_protocol_error() {
        assertTrue(Boolean.TRUE.equals(call(mcp, "add_memory", Map.of("space", space)).isError()), "text missing");
        assertTrue(Boolean.TRUE.equals(call(mcp, "add_memory", Map.of("space", space, "text", "x", "colour", "red"))
                .isError()), "unknown argument");
        assertTrue(Boolean.TRUE.equals(call(mcp, "search_memories", Map.of("query", "x", "k", "many")).isError()),
                "k not an integer");
        assertEquals(400, error(call(mcp, "add_memory", Map.of("space", "Bad Name!", "text", "x"))).get("status"));
        assertEquals(400, error(call(mcp, "get_memory", Map.of("id", "not-a-cube-id"))).get("status"));
        assertTrue(Boolean.TRUE.equals(call(mcp, "search_memories", Map.of("query", "x", "asOf", "yesterday"))
                .isError()), "asOf not a time");
        assertEquals(400, error(call(mcp, "memory_lineage", Map.of("id", Api.cube(key, space, "a"), "depth", 99)))
                .get("status"));
        McpError unknown = assertThrows(McpError.class, () -> call(mcp, "drop_everything", Map.of()));
        assertEquals(McpSchema.ErrorCodes.INVALID_PARAMS, unknown.getJsonRpcError().code());
        McpError notOurs = assertThrows(McpError.class, () -> mcp.readResource(
                new McpSchema.ReadResourceRequest("file:///etc/passwd", null)));
        assertTrue(notOurs.getMessage() != null);
    }

    @Test
    void a_key_without_a_grant_reaches_nothing_and_no_key_reaches_no_tool() {
        String id = Api.cube(key, space, "Eve's locker code is 4312");
        McpSyncClient stranger = client(Api.principal("mcp-stranger")[1]);
        assertEquals(404, error(call(stranger, "get_memory", Map.of("id", id))).get("status"));
        assertEquals(404, error(call(stranger, "memory_history", Map.of("id", id))).get("status"));
        assertEquals(404, error(call(stranger, "update_memory", Map.of("id", id, "version", 1, "text", "x"))).get("status"));
        assertEquals(404, error(call(stranger, "delete_memory", Map.of("id", id))).get("status"));
        Map<String, Object> intoOthers = error(call(stranger, "add_memory", Map.of("space", space, "text", "planted")));
        assertTrue(List.of(403, 404).contains(intoOthers.get("status")), intoOthers.toString());
        Map<String, Object> searched = error(call(stranger, "search_memories", Map.of("space", space, "query", "locker code")));
        assertTrue(List.of(403, 404).contains(searched.get("status")), searched.toString());
        List<?> hits = (List<?>) ok(call(stranger, "search_memories", Map.of("query", "locker code"))).get("hits");
        assertTrue(hits.isEmpty(), "a search of every space finds nothing of a space without a grant");
        assertThrows(McpError.class, () -> stranger.readResource(new McpSchema.ReadResourceRequest("memos://cubes/" + id, null)));
        as(key).get("/v1/cubes/" + id).then().statusCode(200).body("version", equalTo(1));

        RestAssured.given().contentType("application/json").accept("application/json, text/event-stream")
                .body("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}").post("/mcp").then()
                .statusCode(401).contentType("application/problem+json");
    }

    @Test
    void the_endpoint_answers_malformed_messages_other_methods_and_foreign_origins_clearly() {
        as(key).body("{not json").post("/mcp").then().statusCode(400)
                .body("error.code", equalTo(McpSchema.ErrorCodes.PARSE_ERROR)).body("jsonrpc", equalTo("2.0"));
        as(key).body("[1, 2]").post("/mcp").then().statusCode(400).body("error.code", equalTo(McpSchema.ErrorCodes.PARSE_ERROR));
        as(key).body("{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}").post("/mcp").then().statusCode(400)
                .body("error.code", equalTo(McpSchema.ErrorCodes.INVALID_REQUEST));
        as(key).body("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"no/such\"}").post("/mcp").then().statusCode(200)
                .body("id", equalTo(8)).body("error.code", equalTo(McpSchema.ErrorCodes.METHOD_NOT_FOUND));
        as(key).body("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").post("/mcp").then().statusCode(202);
        as(key).get("/mcp").then().statusCode(405).contentType("application/problem+json").header("Allow", "POST");
        as(key).delete("/mcp").then().statusCode(405);
        as(key).header("Origin", "http://evil.example").body("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}")
                .post("/mcp").then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void chat_answers_from_the_space_through_the_engine() {
        Api.cube(key, space, "Frank's favourite colour is teal");
        Map<String, Object> answer = ok(call(mcp, "chat", Map.of("space", space, "maxTokens", 4, "seed", 7,
                "messages", List.of(Map.of("role", "user", "content", "What colour does Frank like?")))));
        assertTrue(answer.get("answer") instanceof String, answer.toString());
        assertTrue(Boolean.TRUE.equals(call(mcp, "chat", Map.of("space", space, "stream", true,
                "messages", List.of(Map.of("role", "user", "content", "hi")))).isError()), "a tool does not stream");
        assertEquals(404, error(call(client(Api.principal("mcp-chat-stranger")[1]), "chat", Map.of("space", space,
                "messages", List.of(Map.of("role", "user", "content", "hi"))))).get("status"));
    }
}
