package dev.memos.client;

import dev.memos.client.model.Cube;
import dev.memos.client.model.Tiers;

import java.time.Duration;
import java.util.List;

/** Chat, the inference engine, the activation and parameter tiers, distillation (docs/engine.md). */
public final class TiersClient {
    private final Transport transport;
    private final Duration slow;

    TiersClient(Transport transport, Duration slow) {
        this.transport = transport;
        this.slow = slow;
    }

    private static String space(String space) {
        return "/v1/spaces/" + Transport.segment(space);
    }

    private Transport.Call slowPost(String path, Object body, boolean retryable) {
        Transport.Call call = Transport.Call.post(path, body).timeout(slow);
        return retryable ? call.retrying() : call;
    }

    /** The model the service's engine runs (503 when none is configured). */
    public Tiers.Engine engine() {
        return transport.call(Transport.Call.get("/v1/engine"), Tiers.Engine.class);
    }

    /**
     * Chats with a space's memories; answers once (streaming is a REST feature). Retried only when the request
     * carries an idempotency key.
     */
    public Tiers.Answer chat(String space, Tiers.ChatRequest request) {
        if (Boolean.TRUE.equals(request.stream())) {
            throw new IllegalArgumentException("this client answers once: leave stream unset");
        }
        return transport.call(slowPost(space(space) + "/chat", request, request.idempotencyKey() != null
                || !Boolean.TRUE.equals(request.remember())), Tiers.Answer.class);
    }

    /** The OpenAI-compatible endpoint, not streamed. */
    public Tiers.Completion completions(Tiers.CompletionRequest request) {
        if (Boolean.TRUE.equals(request.stream())) {
            throw new IllegalArgumentException("this client answers once: leave stream unset");
        }
        return transport.call(slowPost("/v1/chat/completions", request, false), Tiers.Completion.class);
    }

    /** Compiles plaintext cubes into an activation cube (their KV state for the engine's model). */
    public Cube compile(String space, List<String> cubes, List<Tiers.Adapter> adapters) {
        return transport.call(slowPost(space(space) + "/activation", new Tiers.Compile(cubes, adapters), true), Cube.class);
    }

    /** Moves a cube to another tier: PLAINTEXT → ACTIVATION compiles it. */
    public Cube migrate(String id, String tier) {
        return transport.call(slowPost("/v1/cubes/" + Transport.segment(id) + "/migrate", new Tiers.Migrate(tier), true),
                Cube.class);
    }

    /**
     * Imports a LoRA adapter (GGUF) as a parameter cube; validated against the engine's model first.
     *
     * @param derivedFrom comma-separated {@code id} or {@code id@version} of what it was trained from, or null
     * @param sha256      the file's digest, checked by the service when given
     */
    public Cube importAdapter(String space, byte[] adapter, String name, Float scale, String derivedFrom, String sha256) {
        return transport.call(slowPost(space(space) + "/adapters" + Transport.query(Transport.params(
                "name", name, "scale", scale, "derivedFrom", derivedFrom, "sha256", sha256)), adapter, sha256 != null)
                .header("Content-Type", "application/octet-stream"), Cube.class);
    }

    /** A training set distilled from a space's hot memories, for an adapter trained outside memos. */
    public Tiers.DistillSet distill(String space, Tiers.Distill distill) {
        return transport.call(slowPost(space(space) + "/distill", distill, true), Tiers.DistillSet.class);
    }
}
