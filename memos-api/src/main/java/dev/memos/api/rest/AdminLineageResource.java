package dev.memos.api.rest;

import dev.memos.api.auth.Caller;
import dev.memos.kernel.error.ForbiddenException;
import dev.memos.scheduler.lineage.Relineage;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Operations on the derived lineage graph (administrators only). */
@Path("/v1/admin/lineage")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
@SecurityRequirement(name = "apiKey")
public class AdminLineageResource {
    private final Relineage relineage;
    private final Caller caller;
    private final dev.memos.kernel.Audit audit;

    public AdminLineageResource(Relineage relineage, Caller caller, dev.memos.kernel.Audit audit) {
        this.audit = audit;
        this.relineage = relineage;
        this.caller = caller;
    }

    @POST
    @Path("rebuild")
    @Operation(summary = "Rebuild the lineage graph from the database",
            description = "Empties the lineage store and replays every committed event; progress goes to the log.")
    public Relineage.Report rebuild() {
        if (!caller.principal().admin()) {
            throw new ForbiddenException("only an administrator may rebuild the lineage graph");
        }
        audit.record(caller.principal(), "admin.lineage-rebuild", null, null, null);
        return relineage.rebuildLoggingProgress();
    }
}
