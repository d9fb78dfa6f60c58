package dev.memos.cubes.engine.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.memos.cubes.engine.llama.LlamaEngine;
import dev.memos.kernel.engine.ActivationBlob;
import dev.memos.kernel.engine.AdapterUse;
import dev.memos.kernel.engine.Generation;
import dev.memos.kernel.engine.KvSnapshot;
import dev.memos.kernel.engine.Prompt;
import dev.memos.kernel.engine.Sampling;
import dev.memos.kernel.error.MemosException;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A stand-in for llama.cpp's {@code llama-server} (building it takes ~18 minutes here): the endpoints and fields
 * memos' remote engine uses — {@code GET /props}, {@code POST /tokenize}, {@code /detokenize}, {@code /completion}
 * (streamed or not, {@code cache_prompt}, per-request {@code lora}, {@code grammar}), {@code POST /slots/{id}?action=
 * save|restore|erase} into a slot-save directory, {@code GET /lora-adapters} — answered by the real embedded engine
 * on a real model, with llama-server's response shapes. One slot.
 */
final class LlamaServerStandIn implements AutoCloseable {
    private final ObjectMapper json = new ObjectMapper();
    private final LlamaEngine engine;
    private final List<String> loras;
    private final Path slotDir;
    private final HttpServer server;
    private KvSnapshot slot;
    volatile JsonNode lastCompletion;

    /** @param loras adapter files loaded at start, ids 0, 1, … (as {@code --lora} does) */
    LlamaServerStandIn(LlamaEngine engine, List<Path> loras, Path slotDir) throws IOException {
        this.engine = engine;
        this.slotDir = slotDir;
        this.loras = new ArrayList<>();
        for (Path lora : loras) {
            String sha = sha(lora);
            engine.loadAdapter(sha, lora);
            this.loras.add(sha);
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    static String sha(Path file) throws IOException {
        return dev.memos.kernel.model.Sha256.of(file);
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private synchronized void handle(HttpExchange x) throws IOException {
        try {
            String path = x.getRequestURI().getPath();
            JsonNode body = x.getRequestMethod().equals("POST") ? json.readTree(x.getRequestBody().readAllBytes()) : null;
            switch (path) {
                case "/props" -> reply(x, 200, json.createObjectNode().put("model_path", "/models/tiny.gguf")
                        .put("model_alias", "tiny").put("total_slots", 1)
                        .set("default_generation_settings", json.createObjectNode().put("n_ctx",
                                engine.context().contextSize())));
                case "/tokenize" -> {
                    ArrayNode tokens = json.createArrayNode();
                    Arrays.stream(engine.tokenize(body.path("content").asText(), body.path("add_special").asBoolean(false)))
                            .forEach(tokens::add);
                    reply(x, 200, json.createObjectNode().set("tokens", tokens));
                }
                case "/detokenize" -> reply(x, 200, json.createObjectNode().put("content", engine.detokenize(ints(body.path("tokens")))));
                case "/lora-adapters" -> {
                    ArrayNode list = json.createArrayNode();
                    for (int i = 0; i < loras.size(); i++) {
                        list.addObject().put("id", i).put("path", "/adapters/" + i + ".gguf").put("scale", 0.0);
                    }
                    reply(x, 200, list);
                }
                case "/completion" -> prefill(x, (ObjectNode) body);
                case "/v1/completions" -> completion(x, (ObjectNode) body);
                default -> {
                    if (path.startsWith("/slots/")) {
                        slots(x, x.getRequestURI().getQuery(), body);
                    } else {
                        reply(x, 404, error("File Not Found"));
                    }
                }
            }
        } catch (MemosException e) {
            reply(x, 400, error(e.getMessage()));
        } catch (RuntimeException e) {
            reply(x, 500, error(e.toString()));
        }
    }

    private void slots(HttpExchange x, String query, JsonNode body) throws IOException {
        String action = query == null ? "" : query.replace("action=", "");
        switch (action) {
            case "erase" -> {
                int n = slot == null ? 0 : slot.tokens().length;
                slot = null;
                reply(x, 200, json.createObjectNode().put("id_slot", 0).put("n_erased", n));
            }
            case "save" -> {
                if (slot == null) {
                    reply(x, 400, error("slot is empty"));
                    return;
                }
                byte[] bytes = ActivationBlob.encode(slot);
                Files.write(slotDir.resolve(body.path("filename").asText()), bytes);
                reply(x, 200, json.createObjectNode().put("id_slot", 0).put("filename", body.path("filename").asText())
                        .put("n_saved", slot.tokens().length).put("n_written", bytes.length)
                        .set("timings", json.createObjectNode().put("save_ms", 1.0)));
            }
            case "restore" -> {
                Path file = slotDir.resolve(body.path("filename").asText());
                if (!Files.exists(file)) {
                    reply(x, 400, error("failed to restore slot: no file " + file.getFileName()));
                    return;
                }
                long t0 = System.nanoTime();
                slot = ActivationBlob.decode(Files.readAllBytes(file));
                reply(x, 200, json.createObjectNode().put("id_slot", 0).put("filename", file.getFileName().toString())
                        .put("n_restored", slot.tokens().length).put("n_read", Files.size(file))
                        .set("timings", json.createObjectNode().put("restore_ms", (System.nanoTime() - t0) / 1e6)));
            }
            default -> reply(x, 400, error("Invalid action"));
        }
    }

    private List<AdapterUse> adapters(JsonNode body) {
        List<AdapterUse> adapters = new ArrayList<>();
        for (JsonNode l : body.path("lora")) {
            adapters.add(new AdapterUse(loras.get(l.path("id").asInt()), (float) l.path("scale").asDouble()));
        }
        return adapters;
    }

    /** llama-server's own {@code /completion} with {@code n_predict} 0: evaluates the prompt into the slot. */
    private void prefill(HttpExchange x, ObjectNode body) throws IOException {
        lastCompletion = body.deepCopy();
        if (body.path("n_predict").asInt(-1) != 0) {
            reply(x, 400, error("this stand-in serves /completion for n_predict 0 only"));
            return;
        }
        int[] tokens = ints(body.path("prompt"));
        var snapshot = engine.prefill(tokens, adapters(body));
        slot = snapshot.kv();
        ObjectNode done = json.createObjectNode().put("content", "").put("stop", true).put("stop_type", "limit")
                .put("tokens_evaluated", tokens.length).put("tokens_cached", 0);
        done.set("timings", json.createObjectNode().put("prompt_n", tokens.length)
                .put("prompt_ms", snapshot.timings().prefillMillis()).put("predicted_n", 0));
        reply(x, 200, done);
    }

    /** The OpenAI-compatible {@code /v1/completions} as llama-server answers it (chunks, usage, timings, [DONE]). */
    private void completion(HttpExchange x, ObjectNode body) throws IOException {
        lastCompletion = body.deepCopy();
        int[] tokens = ints(body.path("prompt"));
        List<AdapterUse> adapters = adapters(body);
        int nPredict = body.path("max_tokens").asInt(16);
        int cached = 0;
        Prompt prompt = new Prompt(null, tokens, adapters);
        if (slot != null && body.path("cache_prompt").asBoolean(true) && slot.tokens().length < tokens.length
                && Arrays.equals(slot.tokens(), Arrays.copyOf(tokens, slot.tokens().length))
                && slot.incompatibility(engine.model(), engine.context(), adapters).isEmpty()) {
            cached = slot.tokens().length;
            prompt = new Prompt(slot, Arrays.copyOfRange(tokens, cached, tokens.length), adapters);
        }
        List<String> stop = new ArrayList<>();
        body.path("stop").forEach(s -> stop.add(s.asText()));
        Sampling sampling = new Sampling(body.path("temperature").asDouble(0.8), body.path("top_p").asDouble(0.95),
                body.path("seed").asLong(0), nPredict < 0 ? 128 : nPredict, stop);
        String grammar = body.hasNonNull("grammar") ? body.path("grammar").asText() : null;
        boolean stream = body.path("stream").asBoolean(false);
        OutputStream out = null;
        if (stream) {
            x.getResponseHeaders().add("Content-Type", "text/event-stream");
            x.sendResponseHeaders(200, 0);
            out = x.getResponseBody();
        }
        OutputStream sink = out;
        Generation g = engine.generate(prompt, sampling, grammar, piece -> {
            if (sink != null) {
                write(sink, chunk(piece, null));
            }
        });
        ObjectNode done = chunk(stream ? "" : g.text(), g.finish() == Generation.Finish.LENGTH ? "length" : "stop");
        done.putObject("usage").put("prompt_tokens", tokens.length).put("completion_tokens", g.timings().tokensGenerated())
                .put("total_tokens", tokens.length + g.timings().tokensGenerated())
                .putObject("prompt_tokens_details").put("cached_tokens", cached);
        done.set("timings", json.createObjectNode().put("cache_n", cached).put("prompt_n", tokens.length - cached)
                .put("prompt_ms", g.timings().prefillMillis()).put("predicted_n", g.timings().tokensGenerated()));
        slot = null; // the slot now holds the whole conversation; memos never saves that
        if (stream) {
            write(sink, done);
            sink.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            sink.close();
        } else {
            reply(x, 200, done);
        }
    }

    private ObjectNode chunk(String text, String finishReason) {
        ObjectNode chunk = json.createObjectNode().put("object", "text_completion").put("model", "tiny")
                .put("created", System.currentTimeMillis() / 1000).put("id", "cmpl-standin");
        ObjectNode choice = chunk.putArray("choices").addObject().put("text", text).put("index", 0);
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return chunk;
    }

    private void write(OutputStream out, JsonNode event) {
        try {
            out.write(("data: " + json.writeValueAsString(event) + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    private ObjectNode error(String message) {
        ObjectNode e = json.createObjectNode();
        e.putObject("error").put("message", message).put("code", 400);
        return e;
    }

    private void reply(HttpExchange x, int status, JsonNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
