package dev.memos.cubes.embed.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memos.cubes.embed.Vectors;
import dev.memos.kernel.error.UnavailableException;
import dev.memos.kernel.spi.Embedder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Embeddings from an OpenAI-compatible {@code POST <base>/v1/embeddings} endpoint (OpenAI, vLLM,
 * llama.cpp server, Ollama, text-embeddings-inference …). Vectors are L2-normalised here, since not
 * every server does.
 */
public final class OpenAiEmbedder implements Embedder {
    private static final int BATCH = 64;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json;
    private final URI endpoint;
    private final String model;
    private final String apiKey;
    private final String queryPrefix;
    private final int dimension;

    /** Probes the endpoint once to learn the dimension; fails fast when it cannot be reached. */
    public OpenAiEmbedder(ObjectMapper json, String baseUrl, String model, String apiKey, String queryPrefix) {
        this.json = Objects.requireNonNull(json, "json");
        String base = Objects.requireNonNull(baseUrl, "baseUrl").replaceAll("/+$", "");
        this.endpoint = URI.create(base.endsWith("/v1") ? base + "/embeddings" : base + "/v1/embeddings");
        this.model = Objects.requireNonNull(model, "model");
        this.apiKey = apiKey;
        this.queryPrefix = Objects.requireNonNullElse(queryPrefix, "");
        this.dimension = call(List.of("dimension probe")).getFirst().length;
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public List<float[]> embedPassages(List<String> passages) {
        List<float[]> out = new ArrayList<>(passages.size());
        for (int from = 0; from < passages.size(); from += BATCH) {
            out.addAll(call(passages.subList(from, Math.min(passages.size(), from + BATCH))));
        }
        return out;
    }

    @Override
    public float[] embedQuery(String query) {
        return call(List.of(queryPrefix + query)).getFirst();
    }

    private List<float[]> call(List<String> input) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("model", model, "input", input))));
            if (apiKey != null && !apiKey.isBlank()) {
                request.header("Authorization", "Bearer " + apiKey);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new UnavailableException("the embedding endpoint " + endpoint + " answered " + response.statusCode()
                        + ": " + response.body().substring(0, Math.min(200, response.body().length())), null);
            }
            JsonNode data = json.readTree(response.body()).path("data");
            float[][] vectors = new float[input.size()][];
            for (JsonNode item : data) {
                JsonNode embedding = item.path("embedding");
                float[] v = new float[embedding.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) embedding.get(i).asDouble();
                }
                vectors[item.path("index").asInt()] = Vectors.normalize(v);
            }
            for (int i = 0; i < vectors.length; i++) {
                if (vectors[i] == null) {
                    throw new UnavailableException("the embedding endpoint returned no vector for input " + i, null);
                }
            }
            return List.of(vectors);
        } catch (IOException e) {
            throw new UnavailableException("cannot reach the embedding endpoint " + endpoint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while embedding", e);
        }
    }
}
