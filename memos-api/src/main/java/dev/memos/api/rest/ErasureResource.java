package dev.memos.api.rest;

import dev.memos.api.auth.Caller;
import dev.memos.api.wire.ErasureView;
import dev.memos.api.wire.Views.Items;
import dev.memos.kernel.Erasures;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

/** Erasure requests and their reports: what deleting a cube or a space removed, place by place, and how it was checked. */
@Path("/v1/erasures")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "erasure")
@SecurityRequirement(name = "apiKey")
public class ErasureResource {
    private final Erasures erasures;
    private final Caller caller;

    public ErasureResource(Erasures erasures, Caller caller) {
        this.erasures = erasures;
        this.caller = caller;
    }

    @GET
    @Path("{id}")
    @Operation(summary = "An erasure and its report", description = "For whoever asked for it, administrators, and"
            + " administrators of its space. status is PENDING until every place was checked, then VERIFIED or FAILED.")
    public ErasureView get(@PathParam("id") String id) {
        return ErasureView.of(erasures.report(caller.principal(), uuid(id)));
    }

    @GET
    @Operation(summary = "The newest erasures", description = "Of one space (its administrators), or of every space"
            + " (administrators), newest first.")
    public Items<ErasureView> list(@QueryParam("space") String space, @QueryParam("limit") String limit) {
        return new Items<>(erasures.list(caller.principal(), space, Params.integer("limit", limit, 50)).stream()
                .map(ErasureView::of).toList(), null);
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new dev.memos.kernel.error.InvalidException("id", "not an erasure id: " + id);
        }
    }
}
