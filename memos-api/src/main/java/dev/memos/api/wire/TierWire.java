package dev.memos.api.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.memos.kernel.Chat;
import dev.memos.kernel.engine.InferenceEngine;
import dev.memos.kernel.engine.Timings;
import dev.memos.kernel.model.Tier;
import dev.memos.kernel.search.SearchMode;

import java.util.List;

/** Tier migrations, the engine, and chat on the wire (memos' own chat and the OpenAI-compatible one). */
public final class TierWire {
    private TierWire() {
    }

    public record Migrate(Tier tier) {
    }

    /** @param cubes the plaintext cubes to compile; adapters the parameter cubes applied while compiling */
    public record Compile(List<String> cubes, List<Adapter> adapters) {
    }

    /** A parameter cube to apply and its scale (default: the scale it was imported with). */
    public record Adapter(String cube, Float scale) {
    }

    public record Engine(String description, String modelSha256, String modelName, String architecture,
                         int trainedContext, int embeddingLength, int layers, int vocabulary, int contextSize,
                         String kvType) {
        public static Engine of(InferenceEngine e) {
            var m = e.model();
            return new Engine(e.description(), m.sha256(), m.name(), m.architecture(), m.trainedContext(),
                    m.embeddingLength(), m.layers(), m.vocabulary(), e.context().contextSize(), e.context().kvType());
        }
    }

    public record Message(String role, String content) {
    }

    /**
     * memos' chat request.
     *
     * @param k memories to retrieve (default 8; 0 for none)
     * @param useActivation restore the space's activation cube when it fits (default true)
     * @param adapters parameter cubes to apply; absent: every live parameter cube of the space; [] for none
     * @param remember write the last user message and the answer back as message cubes
     */
    public record ChatRequest(List<Message> messages, Integer k, SearchMode mode, SearchWire.Filters filters,
                              Boolean useActivation, List<Adapter> adapters, Integer maxTokens, Double temperature,
                              Double topP, Long seed, List<String> stop, Boolean stream, Boolean remember,
                              String sessionId, String idempotencyKey) {
    }

    public record Used(String id, int version, Tier tier, String as, Float scale) {
        static Used of(Chat.Used u) {
            return new Used(u.id().toString(), u.version(), u.tier(), u.as(), u.scale());
        }
    }

    /**
     * @param tokensRestored prompt tokens whose KV state came from the activation cube (not evaluated)
     * @param tokensPrefilled prompt tokens the model evaluated
     */
    public record TimingsView(int tokensRestored, int tokensPrefilled, int tokensGenerated, double restoreMs,
                              double prefillMs, double timeToFirstTokenMs, double totalMs) {
        public static TimingsView of(Timings t) {
            return new TimingsView(t.tokensRestored(), t.tokensPrefilled(), t.tokensGenerated(), t.restoreMillis(),
                    t.prefillMillis(), t.firstTokenMillis(), t.totalMillis());
        }
    }

    public record ChatResponse(String answer, String finishReason, List<Used> cubes, String activationSkipped,
                               TimingsView timings, String model, List<String> remembered) {
        public static ChatResponse of(Chat.Answer a) {
            return new ChatResponse(a.text(), a.finish().name().toLowerCase(java.util.Locale.ROOT),
                    a.cubes().stream().map(Used::of).toList(), a.activationSkipped(), TimingsView.of(a.timings()),
                    a.model().label(), a.remembered().stream().map(Object::toString).toList());
        }
    }

    /**
     * OpenAI's chat completion request. The space is {@code memos.space}, or the model name {@code memos/<space>};
     * fields OpenAI defines that memos does not use are accepted and ignored (clients send them by default).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CompletionRequest(String model, List<Message> messages, @JsonProperty("max_tokens") Integer maxTokens,
                                    @JsonProperty("max_completion_tokens") Integer maxCompletionTokens,
                                    Double temperature, @JsonProperty("top_p") Double topP, Object stop, Boolean stream,
                                    Long seed, Integer n, MemosOptions memos) {
    }

    /** memos' own options inside an OpenAI request. */
    public record MemosOptions(String space, Integer k, SearchMode mode, Boolean useActivation, List<Adapter> adapters,
                               Boolean remember, String sessionId, String idempotencyKey) {
    }

    public record Completion(String id, String object, long created, String model, List<Choice> choices, Usage usage,
                             ChatResponse memos) {
    }

    public record Choice(int index, Message message, Message delta,
                         @JsonProperty("finish_reason") String finishReason) {
    }

    public record Usage(@JsonProperty("prompt_tokens") int promptTokens,
                        @JsonProperty("completion_tokens") int completionTokens,
                        @JsonProperty("total_tokens") int totalTokens) {
    }

    /** @param minAge ISO-8601 duration, default P7D; minHeat default 0; limit default and at most 256 */
    public record Distill(String minAge, Double minHeat, Integer limit) {
    }

    public record Example(List<Message> messages, String cube) {
        static Example of(dev.memos.kernel.Distillation.Example e) {
            return new Example(List.of(new Message("system", e.system()), new Message("user", e.user()),
                    new Message("assistant", e.assistant())), e.cube().cube() + "@" + e.cube().version());
        }
    }

    public record Selection(String minAge, double minHeat, int limit) {
    }

    /** The manifest (id, space, createdAt, selection, cubes as id@version) and the examples, one per cube. */
    public record DistillSet(String id, String space, java.time.Instant createdAt, Selection selection,
                             List<String> cubes, int scanned, List<Example> examples) {
        public static DistillSet of(dev.memos.kernel.Distillation.Export e) {
            return new DistillSet(e.id(), e.space(), e.createdAt(), new Selection(e.selection().minAge().toString(),
                    e.selection().minHeat(), e.selection().limit()),
                    e.cubes().stream().map(r -> r.cube() + "@" + r.version()).toList(), e.scanned(),
                    e.examples().stream().map(Example::of).toList());
        }
    }
}
