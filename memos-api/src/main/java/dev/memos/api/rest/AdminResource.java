package dev.memos.api.rest;

import dev.memos.api.auth.Caller;
import dev.memos.kernel.error.ForbiddenException;
import dev.memos.scheduler.index.Reindexer;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Operations on the derived search index (administrators only). */
@Path("/v1/admin/index")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
@SecurityRequirement(name = "apiKey")
public class AdminResource {
    private final Reindexer reindexer;
    private final Caller caller;

    public AdminResource(Reindexer reindexer, Caller caller) {
        this.reindexer = reindexer;
        this.caller = caller;
    }

    public record Rebuilt(long indexed, long tookMs) {
    }

    @POST
    @Path("rebuild")
    @Operation(summary = "Rebuild the search index from the database", description = "Progress goes to the log.")
    public Rebuilt rebuild() {
        requireAdmin();
        long t0 = System.nanoTime();
        long done = reindexer.rebuildLoggingProgress();
        return new Rebuilt(done, (System.nanoTime() - t0) / 1_000_000);
    }

    @GET
    @Path("check")
    @Operation(summary = "Compare the index with the database",
            description = "Lists cubes missing from the index, indexed at an old version, or indexed but gone.")
    public Reindexer.Report check() {
        requireAdmin();
        return reindexer.check();
    }

    private void requireAdmin() {
        if (!caller.principal().admin()) {
            throw new ForbiddenException("only an administrator may operate the search index");
        }
    }
}
