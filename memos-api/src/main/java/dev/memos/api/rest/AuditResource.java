package dev.memos.api.rest;

import dev.memos.api.auth.Caller;
import dev.memos.api.wire.Views.Items;
import dev.memos.kernel.Audit;
import dev.memos.kernel.audit.AuditEntry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** The audit trail: reading it, and checking its hash chain. */
@Path("/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "audit")
@SecurityRequirement(name = "apiKey")
public class AuditResource {
    private final Audit audit;
    private final Caller caller;

    public AuditResource(Audit audit, Caller caller) {
        this.audit = audit;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "Audit entries, oldest first", description = "Every entry for administrators; with space,"
            + " that space's entries for its administrators. Continue with after=<seq of the last entry>.")
    public Items<AuditEntry> entries(@QueryParam("space") String space, @QueryParam("after") String after,
                                     @QueryParam("limit") String limit) {
        long from = after == null || after.isBlank() ? 0 : Params.longValue("after", after);
        List<AuditEntry> entries = audit.entries(caller.principal(), space, from, Params.integer("limit", limit, 100));
        return new Items<>(entries, entries.isEmpty() ? null : Long.toString(entries.getLast().seq()));
    }

    @GET
    @Path("verify")
    @Operation(summary = "Check the audit trail's hash chain", description = "Administrators. intact is false, with"
            + " the first problem, when an entry was changed, removed or inserted, or the tail was cut.")
    public Audit.Verification verify() {
        return audit.verify(caller.principal());
    }
}
