package dev.memos.api.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memos.api.auth.Caller;
import dev.memos.api.problem.Problem;
import dev.memos.api.problem.Problems;
import dev.memos.api.wire.TierWire;
import dev.memos.kernel.Chat;
import dev.memos.kernel.access.Principal;
import dev.memos.kernel.access.Space;
import dev.memos.kernel.engine.MemoryPrompt;
import dev.memos.kernel.engine.Sampling;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.error.MemosException;
import dev.memos.kernel.model.CubeId;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Memory-augmented chat: memos' own endpoint per space, and an OpenAI-compatible one. Both answer in one JSON
 * document, or stream over server-sent events with {@code "stream": true}.
 */
@Path("/v1/spaces/{space}/chat")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "chat")
@SecurityRequirement(name = "apiKey")
public class ChatResource {
    private static final Logger LOG = Logger.getLogger(ChatResource.class);
    static final String SSE = "text/event-stream";
    private final Chat chat;
    private final Caller caller;
    private final ObjectMapper json;

    public ChatResource(Chat chat, Caller caller, ObjectMapper json) {
        this.chat = chat;
        this.caller = caller;
        this.json = json;
    }

    @POST
    @Produces({MediaType.APPLICATION_JSON, SSE})
    @Operation(summary = "Chat with the space's memories",
            description = "Retrieves plaintext memories for the last user message (k, mode, filters), restores the "
                    + "space's activation cube when it fits the engine, the adapters and its sources' versions "
                    + "(skipping their prefill), applies the space's parameter cubes (or those named in adapters, with "
                    + "scales), generates, and lists the cubes used with the timings (tokens restored vs prefilled, "
                    + "time to first token). remember writes the exchange back as message cubes. stream: server-sent "
                    + "events 'token' ({\"text\"}) then 'done' (this answer) or 'error' (a problem).")
    public Response chat(@PathParam("space") String space, TierWire.ChatRequest body) {
        Space.requireName(space);
        TierWire.ChatRequest r = Params.body("{\"messages\": [{\"role\": \"user\", \"content\": …}]}", body);
        Chat.Request request = new Chat.Request(turns(r.messages()), r.k() == null ? 8 : r.k(), r.mode(),
                r.filters() == null ? null : r.filters().toKernel(), !Boolean.FALSE.equals(r.useActivation()),
                adapters(r.adapters()), sampling(r.maxTokens(), r.temperature(), r.topP(), r.seed(), r.stop()),
                Boolean.TRUE.equals(r.remember()), r.sessionId(), r.idempotencyKey());
        Principal actor = caller.principal();
        chat.check(actor, space, request);
        if (!Boolean.TRUE.equals(r.stream())) {
            return Response.ok(TierWire.ChatResponse.of(chat.chat(actor, space, request, null))).build();
        }
        StreamingOutput stream = out -> {
            try {
                Chat.Answer answer = chat.chat(actor, space, request,
                        text -> event(out, "token", java.util.Map.of("text", text)));
                event(out, "done", TierWire.ChatResponse.of(answer));
            } catch (MemosException | UncheckedIOException e) {
                event(out, "error", problem(e));
            }
        };
        return Response.ok(stream, SSE).header("Cache-Control", "no-cache").build();
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
        Response r = e instanceof MemosException m ? new dev.memos.api.problem.ProblemMappers().kernel(m)
                : Problems.response(503, "unavailable", "Service unavailable", "the stream failed", null);
        if (r.getEntity() instanceof Problem p) {
            return p;
        }
        LOG.warn("chat stream failed", e);
        return new Problem(Problems.TYPE_BASE + "unavailable", "Service unavailable", 503, e.getMessage(), null, null);
    }

    private void event(OutputStream out, String name, Object data) {
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
