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
 * every server does. Inputs are cut to {@code maxInputChars} characters. An answer 408, 429 or 5xx, or no answer,
 * is {@link UnavailableException} (try again later); any other 4xx refuses the input ({@link Embedder.Rejected}).
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
    private final int maxInputChars;

    /** Probes the endpoint once to learn the dimension; fails fast when it cannot be reached. */
    public OpenAiEmbedder(ObjectMapper json, String baseUrl, String model, String apiKey, String queryPrefix) {
        this(json, baseUrl, model, apiKey, queryPrefix, 8_000);
    }

    public OpenAiEmbedder(ObjectMapper json, String baseUrl, String model, String apiKey, String queryPrefix,
                          int maxInputChars) {
        if (maxInputChars < 16) {
            throw new IllegalArgumentException("memos.embedding.openai.max-input-chars must be at least 16, was "
                    + maxInputChars);
        }
        this.maxInputChars = maxInputChars;
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

    /** The text cut to the limit, never between the two halves of a surrogate pair. */
    public String cut(String text) {
        if (text.length() <= maxInputChars) {
            return text;
        }
        int end = Character.isLowSurrogate(text.charAt(maxInputChars)) ? maxInputChars - 1 : maxInputChars;
        return text.substring(0, end);
    }

    private List<float[]> call(List<String> texts) {
        List<String> input = texts.stream().map(this::cut).toList();
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("model", model, "input", input))));
            if (apiKey != null && !apiKey.isBlank()) {
                request.header("Authorization", "Bearer " + apiKey);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status >= 400 && status < 500 && status != 408 && status != 429) {
                throw new Embedder.Rejected("the embedding endpoint answered " + status + errorMessage(response.body()));
            }
            if (status != 200) {
                throw new UnavailableException("the embedding endpoint " + endpoint + " answered " + status
                        + errorMessage(response.body()), null);
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
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new UnavailableException("the embedding endpoint " + endpoint + " answered with malformed JSON", e);
        } catch (IOException e) {
            throw new UnavailableException("cannot reach the embedding endpoint " + endpoint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while embedding", e);
        }
    }

    /**
     * The error's message when the answer is OpenAI's {@code {"error": {"message": …}}}, cut short; nothing else of
     * the body (a server may echo the input, which must not reach logs or the set-aside reasons).
     */
    private String errorMessage(String body) {
        try {
            JsonNode message = json.readTree(body).path("error").path("message");
            if (message.isTextual()) {
                String m = message.asText();
                return ": " + (m.length() > 200 ? m.substring(0, 199) + "…" : m);
            }
        } catch (IOException | RuntimeException notJson) {
            // not OpenAI's error shape: the status says enough
        }
        return "";
    }
}
