package dev.memos.client.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;

/** Chat, the inference engine, the activation and parameter tiers, distillation. */
public final class Tiers {
    private Tiers() {
    }

    /** @param role system, user or assistant */
    public record Message(String role, String content) {
        public static Message user(String content) {
            return new Message("user", content);
        }
    }

    /** A parameter cube to apply and its scale (null: the scale it was imported with). */
    public record Adapter(String cube, Float scale) {
    }

    /**
     * A chat with a space's memories. {@code stream} is refused by this client's {@code chat} (it answers once).
     *
     * @param remember write the exchange back as message cubes
     */
    public record ChatRequest(List<Message> messages, Integer k, String mode, Search.Filters filters,
                              Boolean useActivation, List<Adapter> adapters, Integer maxTokens, Double temperature,
                              Double topP, Long seed, List<String> stop, Boolean stream, Boolean remember,
                              String sessionId, String idempotencyKey) {
        public static ChatRequest of(List<Message> messages) {
            return new ChatRequest(messages, null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null);
        }

        public ChatRequest k(int k) {
            return new ChatRequest(messages, k, mode, filters, useActivation, adapters, maxTokens, temperature, topP,
                    seed, stop, stream, remember, sessionId, idempotencyKey);
        }

        public ChatRequest sampling(Integer maxTokens, Double temperature, Long seed) {
            return new ChatRequest(messages, k, mode, filters, useActivation, adapters, maxTokens, temperature, topP,
                    seed, stop, stream, remember, sessionId, idempotencyKey);
        }

        public ChatRequest remember(String sessionId) {
            return new ChatRequest(messages, k, mode, filters, useActivation, adapters, maxTokens, temperature, topP,
                    seed, stop, stream, true, sessionId, idempotencyKey);
        }

        public ChatRequest adapters(List<Adapter> adapters) {
            return new ChatRequest(messages, k, mode, filters, useActivation, adapters, maxTokens, temperature, topP,
                    seed, stop, stream, remember, sessionId, idempotencyKey);
        }

        public ChatRequest useActivation(boolean useActivation) {
            return new ChatRequest(messages, k, mode, filters, useActivation, adapters, maxTokens, temperature, topP,
                    seed, stop, stream, remember, sessionId, idempotencyKey);
        }
    }

    /** @param as how the cube was used: recalled, restored, adapter … */
    public record Used(String id, int version, String tier, String as, Float scale) {
    }

    public record Timings(int tokensRestored, int tokensPrefilled, int tokensGenerated, double restoreMs,
                          double prefillMs, double timeToFirstTokenMs, double totalMs) {
    }

    /** @param remembered the message cubes written when the request asked to remember */
    public record Answer(String answer, String finishReason, List<Used> cubes, String activationSkipped,
                         Timings timings, String model, List<String> remembered) {
    }

    public record Engine(String description, String modelSha256, String modelName, String architecture,
                         int trainedContext, int embeddingLength, int layers, int vocabulary, int contextSize,
                         String kvType) {
    }

    /** @param tier PLAINTEXT or ACTIVATION */
    public record Migrate(String tier) {
    }

    public record Compile(List<String> cubes, List<Adapter> adapters) {
    }

    /** @param minAge ISO-8601 duration (default P7D); minHeat (default 0); limit (default and at most 256) */
    public record Distill(String minAge, Double minHeat, Integer limit) {
    }

    public record Selection(String minAge, double minHeat, int limit) {
    }

    public record Example(List<Message> messages, String cube) {
    }

    public record DistillSet(String id, String space, Instant createdAt, Selection selection, List<String> cubes,
                             int scanned, List<Example> examples) {
    }

    /** The OpenAI-compatible {@code POST /v1/chat/completions}, with memos' options under {@code memos}. */
    public record CompletionRequest(String model, List<Message> messages, @JsonProperty("max_tokens") Integer maxTokens,
                                    @JsonProperty("max_completion_tokens") Integer maxCompletionTokens,
                                    Double temperature, @JsonProperty("top_p") Double topP, Object stop,
                                    Boolean stream, Long seed, Integer n, MemosOptions memos) {
    }

    public record MemosOptions(String space, Integer k, String mode, Boolean useActivation, List<Adapter> adapters,
                               Boolean remember, String sessionId, String idempotencyKey) {
    }

    public record Completion(String id, String object, long created, String model, List<Choice> choices, Usage usage,
                             Answer memos) {
    }

    public record Choice(int index, Message message, Message delta, @JsonProperty("finish_reason") String finishReason) {
    }

    public record Usage(@JsonProperty("prompt_tokens") int promptTokens,
                        @JsonProperty("completion_tokens") int completionTokens,
                        @JsonProperty("total_tokens") int totalTokens) {
    }
}
