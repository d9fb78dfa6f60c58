package dev.memos.api.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memos.api.MemosConfig;
import dev.memos.api.problem.Problem;
import dev.memos.api.problem.ProblemMappers;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The MCP server: the SDK's stateless server, its tools and resources ({@link McpTools}), and the transport it is
 * handed to ({@link McpEndpoint} feeds it). Tools run on the calling request's thread ({@code immediateExecution}),
 * inside its CDI request context, so they act as the authenticated caller.
 */
@ApplicationScoped
public class MemosMcpServer implements McpStatelessServerTransport {
    private final McpJsonMapper json = new JacksonMcpJsonMapper(new ObjectMapper());
    private final ObjectMapper views;
    private final ProblemMappers problems = new ProblemMappers();
    private final Set<String> allowedOrigins;
    private volatile McpStatelessServerHandler handler;
    private final McpStatelessSyncServer server;

    public MemosMcpServer(McpTools tools, ObjectMapper views, MemosConfig config) {
        this.views = views;
        this.allowedOrigins = config.mcp().allowedOrigins().orElse(Set.of());
        this.server = McpServer.sync(this)
                .serverInfo("memos", McpTools.VERSION)
                .instructions("memos keeps an agent's memories in spaces. Search before answering from memory; add "
                        + "what you learn; update or delete a memory that turns out wrong. Ids are cube ids.")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).resources(false, false).build())
                .jsonMapper(json)
                .jsonSchemaValidator(new DefaultJsonSchemaValidator(new ObjectMapper()))
                .immediateExecution(true)
                .requestTimeout(config.mcp().requestTimeout())
                .tools(tools.specifications().stream().map(this::tool).toList())
                .resources(tools.resources().stream().map(this::resource).toList())
                .resourceTemplates(tools.templates().stream().map(this::template).toList())
                .build();
    }

    @Override
    public void setMcpHandler(McpStatelessServerHandler handler) {
        this.handler = handler;
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.empty();
    }

    @PreDestroy
    void stop() {
        server.close();
    }

    McpStatelessServerHandler handler() {
        return handler;
    }

    McpJsonMapper json() {
        return json;
    }

    Set<String> allowedOrigins() {
        return allowedOrigins;
    }

    /** A tool whose answer is the REST answer's body; a failure is a tool error carrying the REST problem. */
    private McpStatelessServerFeatures.SyncToolSpecification tool(McpTools.Spec spec) {
        McpSchema.Tool tool = McpSchema.Tool.builder()
                .name(spec.name()).title(spec.title()).description(spec.description())
                .inputSchema(json, spec.inputSchema())
                .annotations(new McpSchema.ToolAnnotations(spec.title(), spec.readOnly(), spec.destructive(),
                        spec.idempotent(), false, null))
                .build();
        return McpStatelessServerFeatures.SyncToolSpecification.builder().tool(tool).callHandler((context, request) -> {
            Map<String, Object> arguments = request.arguments() == null ? Map.of() : request.arguments();
            try {
                Object body = body(spec.call().apply(new McpTools.Arguments(arguments, views)));
                return McpSchema.CallToolResult.builder()
                        .addTextContent(views.writeValueAsString(body))
                        .structuredContent(views.convertValue(body, Map.class))
                        .build();
            } catch (Exception e) {
                Problem problem = problems.problem(e);
                return McpSchema.CallToolResult.builder()
                        .addTextContent(problem.status() + " " + problem.title() + ": " + problem.detail())
                        .structuredContent(views.convertValue(problem, Map.class))
                        .isError(true)
                        .build();
            }
        }).build();
    }

    private McpStatelessServerFeatures.SyncResourceSpecification resource(McpTools.Readable readable) {
        McpSchema.Resource resource = McpSchema.Resource.builder().uri(readable.uri()).name(readable.name())
                .description(readable.description()).mimeType("application/json").build();
        return new McpStatelessServerFeatures.SyncResourceSpecification(resource, (context, request) ->
                read(request.uri(), readable.read()));
    }

    private McpStatelessServerFeatures.SyncResourceTemplateSpecification template(McpTools.Readable readable) {
        McpSchema.ResourceTemplate template = McpSchema.ResourceTemplate.builder().uriTemplate(readable.uri())
                .name(readable.name()).description(readable.description()).mimeType("application/json").build();
        return new McpStatelessServerFeatures.SyncResourceTemplateSpecification(template, (context, request) ->
                read(request.uri(), readable.read()));
    }

    /** A resource's contents; a failure is a JSON-RPC error whose data is the REST problem. */
    private McpSchema.ReadResourceResult read(String uri, Function<String, Object> read) {
        try {
            String text = views.writeValueAsString(body(read.apply(uri)));
            return new McpSchema.ReadResourceResult(List.of(
                    new McpSchema.TextResourceContents(uri, "application/json", text, null)), null);
        } catch (Exception e) {
            Problem problem = problems.problem(e);
            int code = problem.status() == 404 ? McpSchema.ErrorCodes.RESOURCE_NOT_FOUND
                    : problem.status() < 500 ? McpSchema.ErrorCodes.INVALID_PARAMS : McpSchema.ErrorCodes.INTERNAL_ERROR;
            throw McpError.builder(code).message(problem.title() + ": " + problem.detail())
                    .data(views.convertValue(problem, Map.class)).build();
        }
    }

    private static Object body(Object answer) {
        return answer instanceof Response response ? response.getEntity() : answer;
    }
}
