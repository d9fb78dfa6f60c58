package dev.memos.testkit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A local stand-in for an embedding service, speaking the OpenAI {@code POST /v1/embeddings} protocol (request
 * {@code {"model", "input": text | [texts]}}, response {@code {"data": [{"index", "embedding"}]}}), for the
 * benchmarks that must not spend hours embedding with the local model. Each text's vector comes from
 * {@code vectorOf}, so a text always gets the same vector.
 */
final class EmbeddingStandIn implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService workers = Executors.newFixedThreadPool(2);

    EmbeddingStandIn(String model, Function<String, float[]> vectorOf) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(workers);
        server.createContext("/v1/embeddings", exchange -> {
            JsonNode input = JSON.readTree(exchange.getRequestBody()).path("input");
            List<String> texts = new ArrayList<>();
            if (input.isArray()) {
                input.forEach(t -> texts.add(t.asText()));
            } else {
                texts.add(input.asText());
            }
            StringBuilder out = new StringBuilder("{\"object\":\"list\",\"model\":\"" + model + "\",\"data\":[");
            for (int i = 0; i < texts.size(); i++) {
                out.append(i == 0 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i).append(",\"embedding\":[");
                float[] v = vectorOf.apply(texts.get(i));
                for (int d = 0; d < v.length; d++) {
                    out.append(d == 0 ? "" : ",").append(v[d]);
                }
                out.append("]}");
            }
            byte[] bytes = out.append("]}").toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    /** The base URL to configure as {@code memos.embedding.openai.base-url}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A unit vector of Gaussian noise seeded by the text. */
    static float[] hashed(String text, int dimension) {
        Random random = new Random(text.hashCode());
        float[] v = new float[dimension];
        for (int d = 0; d < dimension; d++) {
            v[d] = (float) random.nextGaussian();
        }
        return normalise(v);
    }

    /** Scales {@code v} to unit length in place and returns it. */
    static float[] normalise(float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        float inv = (float) (1 / Math.sqrt(n));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return v;
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdown(); // its threads would keep the bench's JVM alive after main returns
    }
}
