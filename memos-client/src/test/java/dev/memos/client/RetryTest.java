package dev.memos.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.memos.client.model.CubePatch;
import dev.memos.client.model.NewCube;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retries, against a stand-in that answers as memos does when busy (503 problem+json with Retry-After) before it
 * answers the write.
 */
class RetryTest {
    private static final String BUSY = """
            {"type":"https://memos.dev/problems/unavailable","title":"Service unavailable","status":503,
             "detail":"the search index has not caught up; retry later"}""";
    private static final String CUBE = """
            {"id":"01a2f000-0000-7000-8000-000000000001","version":1,"space":"notes","tier":"PLAINTEXT",
             "state":"GENERATED","text":"hello","provenance":{"source":"API","operation":"WRITE","derivedFrom":[]},
             "time":{"recordedAt":"2026-12-05T10:00:00.123456Z"},"governance":{"priority":0,"sensitivity":[]},
             "usage":{"accessCount":0,"heat":0.0}}""";

    private HttpServer server;
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final AtomicInteger busyLeft = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            bodies.add(exchange.getRequestMethod() + " " + new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8));
            boolean busy = busyLeft.getAndDecrement() > 0;
            byte[] body = (busy ? BUSY : CUBE).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", busy ? "application/problem+json" : "application/json");
            if (busy) {
                exchange.getResponseHeaders().add("Retry-After", "0");
            }
            exchange.sendResponseHeaders(busy ? 503 : 201, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private MemosClient client(int retries) {
        return MemosClient.builder().url("http://127.0.0.1:" + server.getAddress().getPort()).apiKey("k")
                .retries(retries).backoff(Duration.ofMillis(1)).build();
    }

    @Test
    void a_write_is_sent_again_with_the_same_idempotency_key_until_it_is_taken() throws Exception {
        busyLeft.set(2);
        assertEquals("hello", client(3).cubes().write("notes", NewCube.of("hello")).text());
        assertEquals(3, bodies.size());
        List<String> keys = bodies.stream().map(b -> {
            try {
                JsonNode json = MemosClient.json().readTree(b.substring(b.indexOf(' ') + 1));
                return json.path("idempotencyKey").asText();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).distinct().toList();
        assertEquals(1, keys.size(), "one key for every attempt");
        assertTrue(keys.getFirst().startsWith("client-"), keys.toString());
    }

    @Test
    void the_retries_end_and_the_problem_is_thrown() {
        busyLeft.set(10);
        MemosException.Unavailable busy = assertThrows(MemosException.Unavailable.class,
                () -> client(2).cubes().get("01a2f000-0000-7000-8000-000000000001"));
        assertEquals(503, busy.status());
        assertEquals("unavailable", busy.problem().code());
        assertEquals(3, bodies.size(), "the first try and two retries");
    }

    @Test
    void a_change_without_an_idempotency_key_is_not_sent_twice() {
        busyLeft.set(1);
        assertThrows(MemosException.Unavailable.class,
                () -> client(3).cubes().update("01a2f000-0000-7000-8000-000000000001", 1, CubePatch.text("x")));
        assertEquals(1, bodies.size());
    }
}
