package dev.memos.cubes.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.memos.cubes.embed.openai.OpenAiEmbedder;
import dev.memos.kernel.error.UnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void an_unreachable_endpoint_fails_at_construction() {
        server.stop(0);
        assertThrows(UnavailableException.class, () -> new OpenAiEmbedder(JSON, base(), "m", null, null));
    }
}
