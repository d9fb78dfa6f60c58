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
    private final long limit;

    public BodySizeFilter(MemosConfig config) {
        this.limit = config.api().maxBodyBytes();
    }

    @ServerRequestFilter(preMatching = true)
    public Response checkLength(ContainerRequestContext request) {
        long length = request.getLength();
        if (length > limit) {
            return Problems.response(Response.Status.REQUEST_ENTITY_TOO_LARGE.getStatusCode(), "payload-too-large",
                    "Payload too large", "the request body is " + length + " bytes; the limit is " + limit, null);
        }
        return null;
    }
}
