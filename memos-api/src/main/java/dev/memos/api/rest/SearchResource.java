package dev.memos.api.rest;

import dev.memos.api.auth.Caller;
import dev.memos.api.wire.SearchWire;
import dev.memos.kernel.Retrieval;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.search.SearchRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Retrieval over every space the caller may read ({@code POST /v1/search}); {@link SpaceSearchResource}
 * serves one space. (Two classes: JAX-RS matches the class path first, and {@code /v1/spaces} belongs
 * to {@link SpaceResource}.)
 */
@Path("/v1/search")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "search")
@SecurityRequirement(name = "apiKey")
public class SearchResource {
    private final Retrieval retrieval;
    private final Caller caller;

    private final Redacted redacted;

    public SearchResource(Retrieval retrieval, Redacted redacted, Caller caller) {
        this.retrieval = retrieval;
        this.redacted = redacted;
        this.caller = caller;
    }

    @POST
    @Operation(summary = "Search every space the caller may read")
    public SearchWire.Response searchAll(SearchWire.Request body) {
        return search(null, body);
    }

    SearchWire.Response search(String space, SearchWire.Request body) {
        SearchWire.Request r = Params.body("{\"query\": …}", body);
        boolean wait = switch (r.consistency() == null ? "eventual" : r.consistency()) {
            case "eventual" -> false;
            case "read-your-writes" -> true;
            default -> throw new InvalidException("consistency", "'" + r.consistency()
                    + "' is not a consistency; use eventual or read-your-writes");
        };
        if (r.waitMs() != null && !wait) {
            throw new InvalidException("waitMs", "applies to read-your-writes searches only; add \"consistency\": "
                    + "\"read-your-writes\"");
        }
        SearchRequest request = new SearchRequest(r.query(), r.k() == null ? 10 : r.k(), r.mode(),
                r.filters() == null ? null : r.filters().toKernel(), Boolean.TRUE.equals(r.explain()), wait, r.asOf(),
                r.waitMs() == null ? null : java.time.Duration.ofMillis(r.waitMs()), r.time(), r.timeReference());
        long t0 = System.nanoTime();
        var found = retrieval.search(caller.principal(), space, request);
        var readable = redacted.readable(caller.principal(), found.stream().map(h -> h.cube()).toList());
        var hits = found.stream().map(h -> SearchWire.Hit.of(h, readable)).toList();
        SearchWire.NamedTime named = retrieval.namedTime(request)
                .map(range -> SearchWire.NamedTime.of(range, retrieval.timeUse(request))).orElse(null);
        return new SearchWire.Response(hits, (System.nanoTime() - t0) / 1_000_000, named);
    }
}
