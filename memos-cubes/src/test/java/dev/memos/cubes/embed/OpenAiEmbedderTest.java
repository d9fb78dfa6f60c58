package dev.memos.cubes.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.memos.cubes.embed.openai.OpenAiEmbedder;
import dev.memos.kernel.error.UnavailableException;
import dev.memos.kernel.spi.Embedder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The OpenAI-compatible client against a local stand-in that speaks the documented
 * {@code POST /v1/embeddings} protocol (no remote service can be reached here).
 */
class OpenAiEmbedderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;
    private final AtomicReference<String> authorization = new AtomicReference<>();
    private volatile int status = 200;
    /** With a status other than 200: the body sent, followed by the input (a server that echoes it). */
    private volatile String errorBody;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/embeddings", exchange -> {
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            List<Object> data = new ArrayList<>();
            JsonNode input = request.get("input");
            // Answer out of order, as the protocol allows: clients must use "index".
            for (int i = input.size() - 1; i >= 0; i--) {
                String text = input.get(i).asText();
                data.add(java.util.Map.of("object", "embedding", "index", i,
                        "embedding", List.of(text.length(), 3.0, 4.0)));
            }
            byte[] body = JSON.writeValueAsBytes(java.util.Map.of("object", "list", "data", data,
                    "model", request.get("model").asText()));
            if (status != 200) {
                body = (errorBody != null ? errorBody + input : "").getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void embeds_in_order_normalised_with_the_key() {
        OpenAiEmbedder embedder = new OpenAiEmbedder(JSON, base(), "text-embedding-3-small", "sk-test", "q: ");
        assertEquals(3, embedder.dimension());
        List<float[]> vectors = embedder.embedPassages(List.of("", "abc"));
        assertEquals(0f, vectors.get(0)[0], 1e-6);
        assertEquals(3 / Math.sqrt(9 + 9 + 16), vectors.get(1)[0], 1e-6);
        assertEquals(1.0, Vectors.dot(vectors.get(1), vectors.get(1)), 1e-6);
        assertEquals("Bearer sk-test", authorization.get());
        float[] query = embedder.embedQuery("abc");
        assertEquals(6 / Math.sqrt(36 + 9 + 16), query[0], 1e-6, "the prefix 'q: ' is sent with the query");
    }

    @Test
    void an_error_answer_is_unavailable_not_garbage() {
        OpenAiEmbedder embedder = new OpenAiEmbedder(JSON, base() + "/v1", "m", null, null);
        status = 500;
        assertThrows(UnavailableException.class, () -> embedder.embedPassages(List.of("x")));
    }

    @Test
    void a_refused_input_is_rejected_not_retried_and_the_reason_never_quotes_it() {
        OpenAiEmbedder embedder = new OpenAiEmbedder(JSON, base(), "m", null, null);
        status = 400;
        errorBody = "{\"error\":{\"message\":\"maximum context length is 8192 tokens\",\"type\":\"invalid_request_error\"}}";
        Embedder.Rejected refused = assertThrows(Embedder.Rejected.class,
                () -> embedder.embedPassages(List.of("the secret diary of Dana")));
        assertEquals("the embedding endpoint answered 400: maximum context length is 8192 tokens", refused.getMessage());
        errorBody = "input refused: ";
        refused = assertThrows(Embedder.Rejected.class, () -> embedder.embedPassages(List.of("the secret diary of Dana")));
        assertFalse(refused.getMessage().contains("secret"), refused.getMessage());
        for (int transientStatus : new int[] {408, 429, 500, 503}) {
            status = transientStatus;
            assertThrows(UnavailableException.class, () -> embedder.embedPassages(List.of("x")), "status " + transientStatus);
        }
    }

    @Test
    void inputs_are_cut_to_the_limit_without_splitting_a_character() {
        OpenAiEmbedder embedder = new OpenAiEmbedder(JSON, base(), "m", null, null, 20);
        // the stand-in's first component is the length of the text it received
        assertEquals(20, embedder.cut("x".repeat(100)).length());
        String emoji = "x".repeat(19) + "\uD83D\uDE00" + "tail";
        assertEquals(19, embedder.cut(emoji).length(), "the pair at the cut is left out whole");
        assertEquals("short", embedder.cut("short"));
        float[] v = embedder.embedPassages(List.of("y".repeat(1_000))).getFirst();
        assertEquals(20 / Math.sqrt(400 + 9 + 16), v[0], 1e-6, "the server received 20 characters");
        assertThrows(IllegalArgumentException.class, () -> new OpenAiEmbedder(JSON, base(), "m", null, null, 3));
    }

    @Test
    void an_unreachable_endpoint_fails_at_construction() {
        server.stop(0);
        assertThrows(UnavailableException.class, () -> new OpenAiEmbedder(JSON, base(), "m", null, null));
    }
}
