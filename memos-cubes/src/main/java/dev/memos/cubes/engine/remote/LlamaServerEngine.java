package dev.memos.cubes.engine.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memos.cubes.engine.gguf.Gguf;
import dev.memos.kernel.engine.AdapterInfo;
import dev.memos.kernel.engine.AdapterUse;
import dev.memos.kernel.engine.ContextSettings;
import dev.memos.kernel.engine.Evaluation;
import dev.memos.kernel.engine.Generation;
import dev.memos.kernel.engine.InferenceEngine;
import dev.memos.kernel.engine.KvSnapshot;
import dev.memos.kernel.engine.ModelInfo;
import dev.memos.kernel.engine.Prompt;
import dev.memos.kernel.engine.Sampling;
import dev.memos.kernel.engine.Timings;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.error.UnavailableException;
import dev.memos.kernel.model.Sha256;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A remote engine: llama.cpp's {@code llama-server} over HTTP. Generation through the OpenAI-compatible
 * {@code POST /v1/completions} (token prompts, streamed, usage with {@code prompt_tokens_details.cached_tokens}),
 * plus llama-server's own fields there ({@code id_slot}, {@code cache_prompt}, {@code lora}, {@code grammar}); the
 * tokenizer through {@code /tokenize} and {@code /detokenize}, activation memory through
 * the server's slot files ({@code POST /slots/{id}?action=save|restore|erase}, the server started with
 * {@code --slot-save-path}), adapters through the per-request {@code lora} field (sent on every request, also
 * empty: with {@code --lora-init-without-apply} a request without it still applies scale 1).
 * <p>
 * The KV state stays on the server: an activation cube of this engine holds a reference to the slot file, and its
 * context settings name the server, so a snapshot made here is never restored into another engine. Adapters must be
 * loaded into the server at its start ({@code --lora file}); {@link Settings#adapters()} maps each file's SHA-256 to
 * the server's adapter id. The server returns no logits, so {@link #evaluate} is not available.
 */
public final class LlamaServerEngine implements InferenceEngine {
    /**
     * @param baseUrl the server, e.g. {@code http://127.0.0.1:8081}
     * @param apiKey its {@code --api-key}, or null
     * @param slot the slot memos uses (one at a time)
     * @param adapters adapter file SHA-256 → the server's adapter id
     * @param timeout per request
     */
    public record Settings(URI baseUrl, String apiKey, int slot, Map<String, Integer> adapters, Duration timeout) {
        public Settings {
            Objects.requireNonNull(baseUrl, "baseUrl");
            adapters = adapters == null ? Map.of() : Map.copyOf(adapters);
            timeout = timeout == null ? Duration.ofMinutes(5) : timeout;
        }
    }

    private final Settings settings;
    private final ObjectMapper json;
    private final HttpClient http;
    private final ModelInfo info;
    private final ContextSettings context;
    private final Map<String, AdapterInfo> loaded = new java.util.concurrent.ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();

    public LlamaServerEngine(Settings settings, ObjectMapper json) {
        this.settings = settings;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        JsonNode props = call("GET", "/props", null);
        int nCtx = props.path("default_generation_settings").path("n_ctx").asInt(0);
        if (nCtx <= 0) {
            throw new UnavailableException("the server at " + settings.baseUrl() + " did not report its context size "
                    + "(GET /props default_generation_settings.n_ctx): is it llama-server?", null);
        }
        String path = props.path("model_path").asText("");
        String name = props.path("model_alias").asText("");
        name = name.isBlank() ? Path.of(path.isBlank() ? "remote" : path).getFileName().toString() : name;
        // The server does not hash its model: the identity is the server and the file it serves, so a snapshot or
        // adapter made against one server and model is never taken for another's.
        String identity = Sha256.of(("llama-server\n" + settings.baseUrl() + "\n" + path).getBytes(StandardCharsets.UTF_8));
        this.info = new ModelInfo(identity, name, "remote", nCtx, 0, 0, 0);
        this.context = new ContextSettings(nCtx, "server-slot@" + settings.baseUrl().getAuthority());
    }

    @Override
    public ModelInfo model() {
        return info;
    }

    @Override
    public ContextSettings context() {
        return context;
    }

    @Override
    public String description() {
        return "llama-server at " + settings.baseUrl() + " (remote)";
    }

    @Override
    public int[] tokenize(String text, boolean beginning) {
        ObjectNode body = json.createObjectNode().put("content", text).put("add_special", beginning)
                .put("parse_special", false);
        JsonNode tokens = call("POST", "/tokenize", body).path("tokens");
        int[] out = new int[tokens.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode t = tokens.get(i);
            out[i] = t.isObject() ? t.path("id").asInt() : t.asInt();
        }
        return out;
    }

    @Override
    public String detokenize(int[] tokens) {
        ObjectNode body = json.createObjectNode();
        ArrayNode array = body.putArray("tokens");
        for (int t : tokens) {
            array.add(t);
        }
        return call("POST", "/detokenize", body).path("content").asText();
    }

    @Override
    public AdapterInfo loadAdapter(String sha256, Path file) {
        Integer id = settings.adapters().get(sha256);
        if (id == null) {
            throw new InvalidException("adapter", "the remote engine has no adapter with SHA-256 " + sha256 + ": start "
                    + "llama-server with --lora <file> and map it in memos.engine.remote.adapters (" + sha256 + "=<id>)");
        }
        Gguf adapter = Gguf.read(file);
        if (!"adapter".equals(adapter.string("general.type").orElse(null))
                || !"lora".equals(adapter.string("adapter.type").orElse(null))) {
            throw new InvalidException("adapter", "not a LoRA adapter (general.type and adapter.type must be adapter and lora)");
        }
        JsonNode served = call("GET", "/lora-adapters", null);
        boolean present = false;
        for (JsonNode a : served) {
            present |= a.path("id").asInt(-1) == id;
        }
        if (!present) {
            throw new InvalidException("adapter", "memos.engine.remote.adapters maps " + sha256 + " to adapter " + id
                    + ", which the server does not have (GET /lora-adapters)");
        }
        int rank = -1;
        List<String> targets = new ArrayList<>();
        for (Gguf.Tensor t : adapter.tensors().values()) {
            if (t.name().endsWith(".lora_a")) {
                targets.add(t.name().substring(0, t.name().length() - ".lora_a".length()));
                rank = (int) t.shape()[t.shape().length - 1];
            }
        }
        AdapterInfo info = new AdapterInfo(sha256, adapter.string("general.architecture").orElse("unknown"), rank,
                adapter.number("adapter.lora.alpha").map(Number::floatValue).orElse(0f), targets, adapter.fileSize());
        loaded.put(sha256, info);
        return info;
    }

    @Override
    public boolean hasAdapter(String sha256) {
        return loaded.containsKey(sha256);
    }

    @Override
    public Snapshot prefill(int[] tokens, List<AdapterUse> adapters) {
        lock.lock();
        try {
            long start = System.nanoTime();
            erase();
            ObjectNode body = completionBody(tokens, adapters, null, false);
            body.put("n_predict", 0);
            JsonNode done = call("POST", "/completion", body);
            String file = "memos-" + Sha256.of(key(tokens, adapters)).substring(0, 40) + ".bin";
            JsonNode saved = call("POST", "/slots/" + settings.slot() + "?action=save",
                    json.createObjectNode().put("filename", file));
            byte[] reference = json.writeValueAsBytes(json.createObjectNode().put("server", settings.baseUrl().toString())
                    .put("slotFile", file).put("tokens", saved.path("n_saved").asInt()));
            double prefill = done.path("timings").path("prompt_ms").asDouble();
            return new Snapshot(new KvSnapshot(reference, tokens.clone(), info.sha256(), adapters, context),
                    new Timings(0, done.path("timings").path("prompt_n").asInt(tokens.length), 0, 0, prefill, 0,
                            millis(System.nanoTime() - start)));
        } catch (IOException e) {
            throw new UnavailableException("cannot encode the slot reference: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Evaluation evaluate(Prompt prompt) {
        throw new UnavailableException("llama-server returns no logits: the remote engine generates only", null);
    }

    @Override
    public Generation generate(Prompt prompt, Sampling sampling, String grammar, Consumer<String> onText) {
        Consumer<String> sink = onText == null ? t -> { } : onText;
        if (prompt.length() + 1 > context.contextSize()) {
            throw new InvalidException("prompt", "the prompt is " + prompt.length() + " tokens; the context holds "
                    + context.contextSize() + " including at least 1 for the answer");
        }
        lock.lock();
        try {
            long start = System.nanoTime();
            double restoreMs = 0;
            int[] tokens = prompt.tokens();
            if (prompt.prefix() != null) {
                String why = prompt.prefix().incompatibility(info, context, prompt.adapters()).orElse(null);
                if (why != null) {
                    throw new InvalidException("prefix", "the KV snapshot cannot be restored here: " + why);
                }
                JsonNode reference = json.readTree(prompt.prefix().state());
                erase();
                JsonNode restored = call("POST", "/slots/" + settings.slot() + "?action=restore",
                        json.createObjectNode().put("filename", reference.path("slotFile").asText()));
                restoreMs = restored.path("timings").path("restore_ms").asDouble();
                int[] all = java.util.Arrays.copyOf(prompt.prefix().tokens(), prompt.prefix().tokens().length + tokens.length);
                System.arraycopy(tokens, 0, all, prompt.prefix().tokens().length, tokens.length);
                tokens = all;
            } else {
                erase();
            }
            ObjectNode body = completionBody(tokens, prompt.adapters(), sampling, true);
            body.putObject("stream_options").put("include_usage", true);
            if (grammar != null) {
                body.put("grammar", grammar);
            }
            StringBuilder text = new StringBuilder();
            double[] firstToken = {0};
            JsonNode last = stream(body, piece -> {
                if (firstToken[0] == 0) {
                    firstToken[0] = millis(System.nanoTime() - start);
                }
                text.append(piece);
                sink.accept(piece);
            });
            JsonNode usage = last.path("usage");
            int cached = usage.path("prompt_tokens_details").path("cached_tokens").asInt(0);
            int evaluated = usage.path("prompt_tokens").asInt(tokens.length) - cached;
            Generation.Finish finish = "length".equals(last.path("choices").path(0).path("finish_reason").asText())
                    ? Generation.Finish.LENGTH : Generation.Finish.STOP;
            return new Generation(text.toString(), finish, new Timings(tokens.length - evaluated, evaluated,
                    usage.path("completion_tokens").asInt(), restoreMs, last.path("timings").path("prompt_ms").asDouble(),
                    firstToken[0] == 0 ? millis(System.nanoTime() - start) : firstToken[0],
                    millis(System.nanoTime() - start)));
        } catch (IOException e) {
            throw new UnavailableException("the slot reference of the activation cube cannot be read: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private void erase() {
        call("POST", "/slots/" + settings.slot() + "?action=erase", json.createObjectNode());
    }

    private ObjectNode completionBody(int[] tokens, List<AdapterUse> adapters, Sampling sampling, boolean stream) {
        ObjectNode body = json.createObjectNode();
        ArrayNode prompt = body.putArray("prompt");
        for (int t : tokens) {
            prompt.add(t);
        }
        body.put("id_slot", settings.slot()).put("cache_prompt", true).put("stream", stream);
        ArrayNode lora = body.putArray("lora"); // always explicit (see the class comment)
        for (AdapterUse use : adapters) {
            Integer id = settings.adapters().get(use.sha256());
            if (id == null || !loaded.containsKey(use.sha256())) {
                throw new InvalidException("adapters", "adapter " + use.sha256() + " is not loaded in the remote engine");
            }
            lora.addObject().put("id", id).put("scale", use.scale());
        }
        if (sampling != null) {
            body.put("max_tokens", sampling.maxTokens()).put("temperature", sampling.temperature())
                    .put("top_p", sampling.topP()).put("seed", sampling.seed());
            ArrayNode stop = body.putArray("stop");
            sampling.stop().forEach(stop::add);
            if (sampling.temperature() == 0) {
                body.put("top_k", 1);
            }
        }
        return body;
    }

    /**
     * Reads the server-sent chunks of a streamed {@code /v1/completions}; returns the last chunk that carried
     * {@code usage} or a {@code finish_reason} (llama-server sends both in its final chunk, then {@code [DONE]}).
     */
    private JsonNode stream(ObjectNode body, Consumer<String> onPiece) {
        HttpResponse<InputStream> response = send("POST", "/v1/completions", body,
                HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            if (response.statusCode() >= 400) {
                throw failure("/v1/completions", response.statusCode(), in.lines().reduce("", String::concat));
            }
            ObjectNode last = json.createObjectNode();
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.startsWith("data: ")) {
                    continue;
                }
                String data = line.substring(6).strip();
                if (data.equals("[DONE]")) {
                    break;
                }
                JsonNode chunk = json.readTree(data);
                JsonNode choice = chunk.path("choices").path(0);
                String piece = choice.path("text").asText("");
                if (!piece.isEmpty()) {
                    onPiece.accept(piece);
                }
                if (!choice.path("finish_reason").isMissingNode() && !choice.path("finish_reason").isNull()) {
                    last.set("choices", chunk.path("choices"));
                }
                for (String field : new String[]{"usage", "timings"}) {
                    if (chunk.hasNonNull(field)) {
                        last.set(field, chunk.get(field));
                    }
                }
            }
            return last;
        } catch (IOException e) {
            throw new UnavailableException("the completion stream from " + settings.baseUrl() + " broke: " + e.getMessage(), e);
        }
    }

    private JsonNode call(String method, String path, JsonNode body) {
        HttpResponse<String> response = send(method, path, body, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 400) {
            throw failure(path, response.statusCode(), response.body());
        }
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new UnavailableException(path + " of " + settings.baseUrl() + " answered no JSON", e);
        }
    }

    private RuntimeException failure(String path, int status, String body) {
        String message = body;
        try {
            message = json.readTree(body).path("error").path("message").asText(body);
        } catch (IOException notJson) {
            // keep the raw body
        }
        if (status == 400) {
            return new InvalidException("prompt", "the remote engine refused the request: " + message);
        }
        return new UnavailableException("llama-server " + path + " answered " + status + ": " + message, null);
    }

    private <T> HttpResponse<T> send(String method, String path, JsonNode body, HttpResponse.BodyHandler<T> handler) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(settings.baseUrl().resolve(path))
                    .timeout(settings.timeout()).header("Content-Type", "application/json");
            if (settings.apiKey() != null) {
                request.header("Authorization", "Bearer " + settings.apiKey());
            }
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
            return http.send(request.build(), handler);
        } catch (IOException e) {
            throw new UnavailableException("cannot reach llama-server at " + settings.baseUrl() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted", e);
        }
    }

    private static byte[] key(int[] tokens, List<AdapterUse> adapters) {
        StringBuilder all = new StringBuilder();
        for (int t : tokens) {
            all.append(t).append(',');
        }
        adapters.stream().sorted().forEach(a -> all.append('|').append(a));
        return all.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    @Override
    public void close() {
        // nothing held but the HTTP client
    }
}
