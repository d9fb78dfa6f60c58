package dev.memos.api.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memos.api.auth.Caller;
import dev.memos.api.wire.TierWire;
import dev.memos.kernel.Chat;
import dev.memos.kernel.access.Principal;
import dev.memos.kernel.access.Space;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.error.MemosException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/** OpenAI's chat completions over a memos space: the same chat as {@link ChatResource}. */
@Path("/v1/chat/completions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "chat")
@SecurityRequirement(name = "apiKey")
public class CompletionsResource {
    private static final String SSE = ChatSupport.SSE;
    private static final String MODEL_PREFIX = "memos/";
    private final Chat chat;
    private final Caller caller;
    private final ChatSupport shared;

    public CompletionsResource(Chat chat, Caller caller, com.fasterxml.jackson.databind.ObjectMapper json) {
        this.chat = chat;
        this.caller = caller;
        this.shared = new ChatSupport(json);
    }

    @POST
    @Produces({MediaType.APPLICATION_JSON, SSE})
    @Operation(summary = "OpenAI-compatible chat completions over a memos space",
            description = "The space is memos.space or the model name memos/<space>; memos.k, memos.useActivation, "
                    + "memos.adapters and memos.remember as in POST /v1/spaces/{space}/chat. The answer carries "
                    + "OpenAI's fields and memos' own under 'memos'. stream: OpenAI's chunks, then data: [DONE].")
    public Response completions(TierWire.CompletionRequest body) {
        TierWire.CompletionRequest r = Params.body("an OpenAI chat completion request", body);
        TierWire.MemosOptions o = r.memos() == null
                ? new TierWire.MemosOptions(null, null, null, null, null, null, null, null) : r.memos();
        String space = o.space() != null ? o.space()
                : r.model() != null && r.model().startsWith(MODEL_PREFIX) ? r.model().substring(MODEL_PREFIX.length()) : null;
        if (space == null) {
            throw new InvalidException("model", "name the space as the model 'memos/<space>' or in memos.space");
        }
        Space.requireName(space);
        if (r.n() != null && r.n() != 1) {
            throw new InvalidException("n", "memos answers with one choice");
        }
        Chat.Request request = new Chat.Request(ChatSupport.turns(r.messages()), o.k() == null ? 8 : o.k(), o.mode(), null,
                !Boolean.FALSE.equals(o.useActivation()), ChatSupport.adapters(o.adapters()),
                ChatSupport.sampling(r.maxCompletionTokens() != null ? r.maxCompletionTokens() : r.maxTokens(), r.temperature(),
                        r.topP(), r.seed(), ChatSupport.stops(r.stop())),
                Boolean.TRUE.equals(o.remember()), o.sessionId(), o.idempotencyKey());
        Principal actor = caller.principal();
        chat.check(actor, space, request);
        String id = "chatcmpl-" + UUID.randomUUID();
        long created = System.currentTimeMillis() / 1000;
        String model = MODEL_PREFIX + space;
        if (!Boolean.TRUE.equals(r.stream())) {
            Chat.Answer a = chat.chat(actor, space, request, null);
            return Response.ok(ChatSupport.completion(id, created, model, a)).build();
        }
        StreamingOutput stream = out -> {
            try {
                shared.data(out, new TierWire.Completion(id, "chat.completion.chunk", created, model, List.of(
                        new TierWire.Choice(0, null, new TierWire.Message("assistant", ""), null)), null, null));
                Chat.Answer a = chat.chat(actor, space, request, text -> shared.data(out, new TierWire.Completion(id,
                        "chat.completion.chunk", created, model, List.of(new TierWire.Choice(0, null,
                        new TierWire.Message(null, text), null)), null, null)));
                TierWire.Completion last = ChatSupport.completion(id, created, model, a);
                shared.data(out, new TierWire.Completion(id, "chat.completion.chunk", created, model, List.of(
                        new TierWire.Choice(0, null, new TierWire.Message(null, ""), last.choices().getFirst()
                                .finishReason())), last.usage(), last.memos()));
            } catch (MemosException | UncheckedIOException e) {
                shared.data(out, java.util.Map.of("error", shared.problem(e)));
            }
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        };
        return Response.ok(stream, SSE).header("Cache-Control", "no-cache").build();
    }

}
