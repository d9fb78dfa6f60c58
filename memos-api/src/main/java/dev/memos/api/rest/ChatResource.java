package dev.memos.api.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memos.api.auth.Caller;
import dev.memos.api.wire.TierWire;
import dev.memos.kernel.Chat;
import dev.memos.kernel.access.Principal;
import dev.memos.kernel.access.Space;
import dev.memos.kernel.error.MemosException;
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

import java.io.UncheckedIOException;

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
    private static final String SSE = ChatSupport.SSE;
    private final Chat chat;
    private final Caller caller;
    private final ChatSupport support;

    public ChatResource(Chat chat, Caller caller, ObjectMapper json) {
        this.chat = chat;
        this.caller = caller;
        this.support = new ChatSupport(json);
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
        Chat.Request request = new Chat.Request(ChatSupport.turns(r.messages()), r.k() == null ? 8 : r.k(), r.mode(),
                r.filters() == null ? null : r.filters().toKernel(), !Boolean.FALSE.equals(r.useActivation()),
                ChatSupport.adapters(r.adapters()), ChatSupport.sampling(r.maxTokens(), r.temperature(), r.topP(), r.seed(), r.stop()),
                Boolean.TRUE.equals(r.remember()), r.sessionId(), r.idempotencyKey());
        Principal actor = caller.principal();
        chat.check(actor, space, request);
        if (!Boolean.TRUE.equals(r.stream())) {
            return Response.ok(TierWire.ChatResponse.of(chat.chat(actor, space, request, null))).build();
        }
        StreamingOutput stream = out -> {
            try {
                Chat.Answer answer = chat.chat(actor, space, request,
                        text -> support.event(out, "token", java.util.Map.of("text", text)));
                support.event(out, "done", TierWire.ChatResponse.of(answer));
            } catch (MemosException | UncheckedIOException e) {
                support.event(out, "error", support.problem(e));
            }
        };
        return Response.ok(stream, SSE).header("Cache-Control", "no-cache").build();
    }

}
