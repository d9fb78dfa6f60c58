package dev.memos.api.mcp;

import dev.memos.api.problem.Problems;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;

/**
 * The Model Context Protocol over streamable HTTP, stateless: every JSON-RPC request is a POST answered with one
 * JSON response (no session, no server-sent stream), which the protocol allows and every client handles. The
 * bearer key is checked by the same filter as the REST API, and the tools run on this request's thread, so they
 * act as the caller with the caller's grants (docs/agents.md, docs/adr/0014-mcp-server.md).
 */
@Path("/mcp")
@Tag(name = "mcp")
@SecurityRequirement(name = "apiKey")
public class McpEndpoint {
    private final MemosMcpServer server;

    public McpEndpoint(MemosMcpServer server) {
        this.server = server;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "MCP (streamable HTTP, stateless)", description = "One JSON-RPC message per POST: a request is "
            + "answered with its JSON-RPC response, a notification with 202 (docs/agents.md lists the tools).")
    public Response post(@HeaderParam("Origin") String origin, String body) {
        if (origin != null && !server.allowedOrigins().contains(origin)) {
            return Problems.response(403, "forbidden", "Forbidden", "requests from origin '" + origin + "' are not "
                    + "accepted; list it in memos.mcp.allowed-origins", "Origin");
        }
        McpJsonMapper json = server.json();
        McpSchema.JSONRPCMessage message;
        try {
            message = McpSchema.deserializeJsonRpcMessage(json, body == null ? "" : body);
        } catch (IOException | IllegalArgumentException e) {
            return error(400, McpSchema.ErrorCodes.PARSE_ERROR, "not a JSON-RPC 2.0 message: " + firstLine(e));
        }
        if (message instanceof McpSchema.JSONRPCRequest request) {
            McpSchema.JSONRPCResponse response = server.handler()
                    .handleRequest(McpTransportContext.EMPTY, request)
                    .contextWrite(ctx -> ctx.put(McpTransportContext.KEY, McpTransportContext.EMPTY))
                    .block();
            return Response.ok(write(response), MediaType.APPLICATION_JSON).build();
        }
        if (message instanceof McpSchema.JSONRPCNotification notification) {
            server.handler().handleNotification(McpTransportContext.EMPTY, notification).block();
            return Response.accepted().build();
        }
        return error(400, McpSchema.ErrorCodes.INVALID_REQUEST, "this server sends no requests, so it takes no responses");
    }

    @GET
    @Operation(summary = "No server-sent stream: this MCP server is stateless (405)")
    public Response stream() {
        return notAllowed();
    }

    @DELETE
    @Operation(summary = "No session to end: this MCP server is stateless (405)")
    public Response end() {
        return notAllowed();
    }

    private static Response notAllowed() {
        return Response.fromResponse(Problems.response(405, "method-not-allowed", "Method not allowed",
                "this MCP endpoint is stateless: POST one JSON-RPC message at a time", null)).header("Allow", "POST").build();
    }

    private Response error(int status, int code, String message) {
        // no id: the message could not be read far enough to know it (JSON-RPC 2.0, section 5)
        java.util.Map<String, Object> response = new java.util.LinkedHashMap<>();
        response.put("jsonrpc", McpSchema.JSONRPC_VERSION);
        response.put("id", null);
        response.put("error", java.util.Map.of("code", code, "message", message));
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(write(response)).build();
    }

    private String write(Object value) {
        try {
            return server.json().writeValueAsString(value);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The first line of a parser's message, at most 200 characters (it may quote the input). */
    private static String firstLine(Exception e) {
        String line = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        return line.length() <= 200 ? line : line.substring(0, 200) + "…";
    }
}
