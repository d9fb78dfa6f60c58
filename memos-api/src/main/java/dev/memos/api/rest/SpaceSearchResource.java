package dev.memos.api.rest;

import dev.memos.api.wire.SearchWire;
import dev.memos.kernel.access.Space;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Retrieval in one space. */
@Path("/v1/spaces/{space}/search")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "search")
@SecurityRequirement(name = "apiKey")
public class SpaceSearchResource {
    private final SearchResource search;

    public SpaceSearchResource(SearchResource search) {
        this.search = search;
    }

    @POST
    @Operation(summary = "Search one space",
            description = "Hybrid (BM25 + vector, fused by reciprocal rank, boosted by recency, heat and priority) by "
                    + "default; mode keyword or vector for one list. Every hit counts as an access.")
    public SearchWire.Response search(@PathParam("space") String space, SearchWire.Request body) {
        Space.requireName(space);
        return search.search(space, body);
    }
}
