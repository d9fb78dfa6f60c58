package dev.memos.api.rest;

import dev.memos.api.auth.Caller;
import dev.memos.api.wire.CubeRequests;
import dev.memos.api.wire.CubeView;
import dev.memos.kernel.MemoryKernel;
import dev.memos.kernel.access.Space;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.Limits;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.query.CubeQuery;
import dev.memos.kernel.query.Page;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** A space's cubes with their whole history, page by page (export), and one such cube into a space (import). */
@Path("/v1/spaces/{space}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "archive")
@SecurityRequirement(name = "apiKey")
public class SpaceArchiveResource {
    private final MemoryKernel kernel;
    private final Caller caller;

    private final Redacted redacted;
    private final dev.memos.kernel.Audit audit;
    private final dev.memos.kernel.governance.Detectors detectors;

    public SpaceArchiveResource(MemoryKernel kernel, Redacted redacted, Caller caller, dev.memos.kernel.Audit audit,
                                dev.memos.kernel.governance.Detectors detectors) {
        this.audit = audit;
        this.detectors = detectors;
        this.kernel = kernel;
        this.redacted = redacted;
        this.caller = caller;
    }

    /** A cube with every version, oldest first. */
    public record ArchivedCube(String id, List<CubeView> versions) {
    }

    public record ExportPage(List<ArchivedCube> items, String nextCursor) {
    }

    /** @param archivedId the id the archive gave the cube; {@code id} differs when that one is taken in another space */
    public record Imported(String id, String archivedId, int version, boolean imported) {
    }

    @GET
    @Path("export")
    @Operation(summary = "Export a space's cubes with every version",
            description = "In creation order, limit cubes a page (default 50, at most 200); DELETED cubes are left out. "
                    + "Continue with cursor=nextCursor. memos export writes these into an archive. redact=true"
                    + " replaces what the detectors find (emails, phone numbers, cards …) with [<label>].")
    public ExportPage export(@PathParam("space") String space, @QueryParam("cursor") String cursor,
                             @QueryParam("limit") String limit, @QueryParam("redact") String redact) {
        boolean redacting = Params.flag("redact", redact);
        Space.requireName(space);
        CubeId after = Params.cursor(cursor);
        int n = Params.integer("limit", limit, Limits.DEFAULT_PAGE);
        Page<MemCube> page = kernel.list(caller.principal(), space, new CubeQuery(null, null, null, null, after, n));
        List<ArchivedCube> cubes = archived(kernel, redacted, detectors, caller.principal(), page.items(), redacting);
        audit.record(caller.principal(), "space.exported", space, after == null ? null : after.toString(),
                cubes.size() + " cubes" + (redacting ? ", redacted" : ""));
        return new ExportPage(cubes, page.nextCursor());
    }

    /**
     * Each cube with its whole history as the caller may see it (unreadable sources redacted), what the detectors
     * find replaced with {@code [<label>]} when {@code redacting}: the archive form of a space's or a subject's export.
     */
    static List<ArchivedCube> archived(MemoryKernel kernel, Redacted redacted, dev.memos.kernel.governance.Detectors detectors,
                                       dev.memos.kernel.access.Principal reader, List<MemCube> cubes, boolean redacting) {
        return cubes.stream().map(c -> new ArchivedCube(c.id().toString(),
                redacted.views(reader, kernel.history(reader, c.id())).stream()
                        .map(v -> redacting && v.text() != null ? v.withText(detectors.redact(v.text())) : v).toList()))
                .toList();
    }

    @POST
    @Path("import")
    @Operation(summary = "Import one cube with its whole history (ADMIN on the space)",
            description = "Keeps the id, every version's payload, provenance, time and governance, and the state; usage "
                    + "starts afresh; lineage is recorded again from the versions. 201 when imported, 200 when the cube "
                    + "is there already with as many versions (a resumed import), 409 when it is there with another history. "
                    + "An id taken in another space is replaced by a new one (archivedId keeps the archive's).")
    public Response importCube(@PathParam("space") String space, CubeRequests.Import body) {
        Space.requireName(space);
        CubeRequests.Import request = Params.body("{\"versions\": [ … ]} as export lists them", body);
        if (request.versions() == null || request.versions().contains(null)) {
            throw new InvalidException("versions", "a list of cube versions is required");
        }
        List<MemCube> versions = request.versions().stream().map(CubeView::toCube).toList();
        dev.memos.kernel.Imports.Result result = kernel.imports().importCube(caller.principal(), space, versions);
        Imported answer = new Imported(result.cube().id().toString(), versions.getLast().id().toString(),
                result.cube().version(), result.imported());
        return (result.imported() ? Response.status(201) : Response.ok()).entity(answer).build();
    }
}
