package dev.memos.api.auth;

import dev.memos.api.MemosConfig;
import dev.memos.api.problem.Problems;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Rejects a declared body over {@code memos.api.max-body-bytes} with a problem document before it
 * is read. (Vert.x's own hard limit, {@code quarkus.http.limits.max-body-size}, stops undeclared
 * chunked bodies further up.)
 */
public class BodySizeFilter {
    private static final java.util.regex.Pattern ADAPTERS = java.util.regex.Pattern.compile("/v1/spaces/[^/]+/adapters/?");
    private final long limit;
    private final long adapterLimit;

    public BodySizeFilter(MemosConfig config) {
        this.limit = config.api().maxBodyBytes();
        this.adapterLimit = config.engine().maxAdapterBytes();
    }

    @ServerRequestFilter(preMatching = true)
    public Response checkLength(ContainerRequestContext request) {
        long length = request.getLength();
        // A LoRA adapter upload is binary and large; every other body is JSON and small.
        long limit = ADAPTERS.matcher(request.getUriInfo().getPath()).matches() ? adapterLimit : this.limit;
        if (length > limit) {
            return Problems.response(Response.Status.REQUEST_ENTITY_TOO_LARGE.getStatusCode(), "payload-too-large",
                    "Payload too large", "the request body is " + length + " bytes; the limit is " + limit, null);
        }
        return null;
    }
}
