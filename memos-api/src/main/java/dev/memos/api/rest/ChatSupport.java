package dev.memos.api.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memos.api.problem.Problem;
import dev.memos.api.problem.ProblemMappers;
import dev.memos.api.problem.Problems;
import dev.memos.api.wire.TierWire;
import dev.memos.kernel.Chat;
import dev.memos.kernel.engine.MemoryPrompt;
import dev.memos.kernel.engine.Sampling;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.error.MemosException;
import dev.memos.kernel.model.CubeId;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** What memos' chat and the OpenAI-compatible one share: request mapping and server-sent events. */
final class ChatSupport {
    static final String SSE = "text/event-stream";
    private static final Logger LOG = Logger.getLogger(ChatSupport.class);
    private final ObjectMapper json;

    ChatSupport(ObjectMapper json) {
        this.json = json;
    }

    static TierWire.Completion completion(String id, long created, String model, Chat.Answer a) {
        int prompt = a.timings().tokensRestored() + a.timings().tokensPrefilled();
        return new TierWire.Completion(id, "chat.completion", created, model, List.of(new TierWire.Choice(0,
                new TierWire.Message("assistant", a.text()), null, a.finish().name().toLowerCase(java.util.Locale.ROOT))),
                new TierWire.Usage(prompt, a.timings().tokensGenerated(), prompt + a.timings().tokensGenerated()),
                TierWire.ChatResponse.of(a));
    }

    static List<MemoryPrompt.Turn> turns(List<TierWire.Message> messages) {
        if (messages == null) {
            throw new InvalidException("messages", "is required: the conversation, the user's message last");
        }
        List<MemoryPrompt.Turn> turns = new ArrayList<>();
        for (TierWire.Message m : messages) {
            if (m == null) {
                throw new InvalidException("messages", "must not contain null");
            }
            turns.add(new MemoryPrompt.Turn(m.role(), m.content()));
        }
        return turns;
    }

    static List<Chat.AdapterChoice> adapters(List<TierWire.Adapter> adapters) {
        if (adapters == null) {
            return null;
        }
        List<Chat.AdapterChoice> out = new ArrayList<>();
        for (TierWire.Adapter a : adapters) {
            if (a == null || a.cube() == null) {
                throw new InvalidException("adapters", "each adapter names a parameter cube");
            }
            out.add(new Chat.AdapterChoice(CubeId.parse(a.cube()), a.scale()));
        }
        return out;
    }

    static Sampling sampling(Integer maxTokens, Double temperature, Double topP, Long seed, List<String> stop) {
        return new Sampling(temperature == null ? 0 : temperature, topP == null ? 1 : topP, seed == null ? 0 : seed,
                maxTokens == null ? 256 : maxTokens, stop);
    }

    static List<String> stops(Object stop) {
        return switch (stop) {
            case null -> null;
            case String s -> List.of(s);
            case List<?> list when list.stream().allMatch(String.class::isInstance) ->
                    list.stream().map(String.class::cast).toList();
            default -> throw new InvalidException("stop", "a string or a list of strings");
        };
    }

    Problem problem(RuntimeException e) {
        Response r = e instanceof MemosException m ? new ProblemMappers().kernel(m)
                : Problems.response(503, "unavailable", "Service unavailable", "the stream failed", null);
        if (r.getEntity() instanceof Problem p) {
            return p;
        }
        LOG.warn("chat stream failed", e);
        return new Problem(Problems.TYPE_BASE + "unavailable", "Service unavailable", 503, e.getMessage(), null, null);
    }

    void event(OutputStream out, String name, Object data) {
        write(out, "event: " + name + "\ndata: " + text(data) + "\n\n");
    }

    void data(OutputStream out, Object data) {
        write(out, "data: " + text(data) + "\n\n");
    }

    private String text(Object data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(OutputStream out, String text) {
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the client went away
        }
    }
}
