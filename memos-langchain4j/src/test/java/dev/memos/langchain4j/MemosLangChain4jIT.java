package dev.memos.langchain4j;

import dev.memos.testkit.Scratch;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.query.Query;
import dev.memos.client.CubesClient;
import dev.memos.client.MemosClient;
import dev.memos.client.model.Cube;
import dev.memos.client.model.NewCube;
import dev.memos.client.model.Search;
import dev.memos.client.model.Spaces;
import dev.memos.testkit.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The adapters against the packaged service; the chat model is a stand-in speaking OpenAI's chat completions
 * protocol that records each request it is sent and answers "Noted.".
 */
class MemosLangChain4jIT {
    private static ServiceProcess service;
    private static MemosClient admin;
    private static HttpServer model;
    private static final List<JsonNode> requests = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        service = new ServiceProcess(ServiceProcess.packagedJar(), Scratch.directory("memos-lc4j"), Map.of()).start();
        admin = MemosClient.builder().url(service.baseUri())
                .apiKey(Files.readString(service.dataDir().resolve("admin.key")).strip()).build();
        model = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        model.createContext("/v1/chat/completions", exchange -> {
            requests.add(MemosClient.json().readTree(exchange.getRequestBody()));
            byte[] body = """
                    {"id":"chatcmpl-1","object":"chat.completion","created":1764930000,"model":"stand-in",
                     "choices":[{"index":0,"message":{"role":"assistant","content":"Noted."},"finish_reason":"stop"}],
                     "usage":{"prompt_tokens":10,"completion_tokens":2,"total_tokens":12}}""".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        model.start();
    }

    @AfterAll
    static void stop() throws Exception {
        model.stop(0);
        service.close();
    }

    /** A client of a new principal that administers {@code space}. */
    private static MemosClient owner(String name, String space) {
        Spaces.IssuedPrincipal p = admin.createPrincipal(new Spaces.NewPrincipal(name, "agent", false));
        MemosClient memos = MemosClient.builder().url(service.baseUri()).apiKey(p.apiKey()).build();
        memos.spaces().create(space, null);
        return memos;
    }

    private static OpenAiChatModel standIn() {
        return OpenAiChatModel.builder().baseUrl("http://127.0.0.1:" + model.getAddress().getPort() + "/v1")
                .apiKey("not-needed").modelName("stand-in").build();
    }

    private static List<String> contents(JsonNode request) {
        List<String> out = new ArrayList<>();
        request.path("messages").forEach(m -> out.add(m.path("role").asText() + ": " + m.path("content").asText()));
        return out;
    }

    @Test
    void an_ai_service_remembers_across_runs() {
        String key = admin.createPrincipal(new Spaces.NewPrincipal("lc4j-assistant", "agent", false)).apiKey();
        MemosClient firstRun = MemosClient.builder().url(service.baseUri()).apiKey(key).build();
        firstRun.spaces().create("lc4j-runs", null);
        requests.clear();
        assertEquals("Noted.", RememberingAssistant.create(firstRun, "lc4j-runs", standIn())
                .chat("dana", "My sister Eve lives in Porto."));

        List<Cube> kept = firstRun.cubes().listAll("lc4j-runs", CubesClient.CubeQuery.all()).toList();
        assertEquals(List.of("My sister Eve lives in Porto.", "Noted."), kept.stream().map(Cube::text).toList());
        assertTrue(kept.stream().allMatch(c -> "dana".equals(c.provenance().sessionId()) && "message".equals(c.kind())));

        // a second run: a new client and new service objects over the same memos, as a second process has
        MemosClient secondRun = MemosClient.builder().url(service.baseUri()).apiKey(key).build();
        RememberingAssistant.create(secondRun, "lc4j-runs", standIn()).chat("dana", "Where does my sister live?");
        List<String> asked = contents(requests.getLast());
        assertEquals("user: My sister Eve lives in Porto.", asked.get(0), asked.toString());
        assertEquals("assistant: Noted.", asked.get(1), asked.toString());
        assertTrue(asked.getLast().startsWith("user: Where does my sister live?"), asked.toString());
        assertTrue(asked.getLast().contains("Eve lives in Porto"), "the retrieved memory is in the question: " + asked);

        RememberingAssistant.create(secondRun, "lc4j-runs", standIn()).chat("sam", "Hello!");
        List<String> samAsked = contents(requests.getLast());
        assertEquals(1, samAsked.size(), "another user's memory starts empty: " + samAsked);
    }

    @Test
    void the_store_keeps_a_window_evicts_into_memos_and_erases_on_delete() {
        MemosClient memos = owner("lc4j-store", "lc4j-store");
        MemosChatMemoryStore store = new MemosChatMemoryStore(memos, "lc4j-store");
        MessageWindowChatMemory memory = MessageWindowChatMemory.builder().id("w1").maxMessages(3)
                .chatMemoryStore(store).build();
        memory.add(SystemMessage.from("You are terse."));
        memory.add(UserMessage.from("one"));
        memory.add(AiMessage.from("two"));
        memory.add(UserMessage.from("three"));
        memory.add(AiMessage.from("four"));
        List<ChatMessage> held = store.getMessages("w1");
        assertEquals(List.of(SystemMessage.from("You are terse."), UserMessage.from("three"), AiMessage.from("four")), held);

        Set<String> evicted = Set.of("one", "two");
        List<Cube> all = memos.cubes().listAll("lc4j-store", CubesClient.CubeQuery.all()).toList();
        assertEquals(5, all.size(), "evicted messages stay in memos");
        all.forEach(c -> assertEquals(evicted.contains(c.text()), c.tags().contains(MemosChatMemoryStore.EVICTED), c.text()));
        assertTrue(memos.search("lc4j-store", Search.Request.of("one").mode("keyword").readYourWrites()).hits().stream()
                .anyMatch(h -> "one".equals(h.cube().text())), "an evicted message is still found by search");

        ToolExecutionRequest call = ToolExecutionRequest.builder().id("call-7").name("weather").arguments("{\"city\":\"Porto\"}").build();
        List<ChatMessage> tools = new ArrayList<>(held);
        tools.add(AiMessage.from(call));
        tools.add(ToolExecutionResultMessage.from(call, "sunny, 24 °C"));
        store.updateMessages("w1", tools);
        assertEquals(tools, store.getMessages("w1"), "tool calls and results come back as they went in");

        store.updateMessages("w2", List.of(UserMessage.from("another conversation")));
        store.deleteMessages("w1");
        assertEquals(List.of(), store.getMessages("w1"));
        assertEquals(List.of(UserMessage.from("another conversation")), store.getMessages("w2"));
        assertTrue(memos.cubes().listAll("lc4j-store", CubesClient.CubeQuery.all())
                .noneMatch(c -> "You are terse.".equals(c.text())), "the deleted conversation is erased");
    }

    @Test
    void the_retriever_searches_with_filters_a_limit_and_a_minimum_score() {
        MemosClient memos = owner("lc4j-retriever", "lc4j-facts");
        Cube tea = memos.cubes().write("lc4j-facts", NewCube.of("Alice prefers green tea in the morning").tags(List.of("drinks")));
        memos.cubes().write("lc4j-facts", NewCube.of("Alice drinks coffee after lunch").tags(List.of("drinks")));
        memos.cubes().write("lc4j-facts", NewCube.of("Bob moved to Berlin in March").tags(List.of("people")));

        MemosContentRetriever retriever = MemosContentRetriever.builder().client(memos).space("lc4j-facts")
                .maxResults(1).readYourWrites(true).build();
        List<Content> found = retriever.retrieve(Query.from("What tea does Alice drink?"));
        assertEquals(1, found.size());
        Content first = found.getFirst();
        assertEquals("Alice prefers green tea in the morning", first.textSegment().text());
        assertEquals(tea.id(), first.textSegment().metadata().getString("id"));
        assertEquals("lc4j-facts", first.textSegment().metadata().getString("space"));
        assertTrue((Double) first.metadata().get(ContentMetadata.SCORE) > 0);

        List<Content> people = MemosContentRetriever.builder().client(memos).space("lc4j-facts").maxResults(5)
                .filters(Search.Filters.none().tags(Set.of("people"))).build().retrieve(Query.from("Alice tea"));
        assertTrue(people.stream().allMatch(c -> c.textSegment().text().contains("Bob")), people.toString());
        assertEquals(List.of(), MemosContentRetriever.builder().client(memos).space("lc4j-facts").minScore(1e9).build()
                .retrieve(Query.from("Alice")), "nothing scores that high");

        MemosClient stranger = MemosClient.builder().url(service.baseUri())
                .apiKey(admin.createPrincipal(new Spaces.NewPrincipal("lc4j-stranger", "agent", false)).apiKey()).build();
        assertEquals(List.of(), MemosContentRetriever.builder().client(stranger).build().retrieve(Query.from("Alice tea")),
                "a key without a grant retrieves nothing");
    }
}
