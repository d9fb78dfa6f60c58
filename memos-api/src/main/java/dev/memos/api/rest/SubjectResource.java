package dev.memos.api.rest;

import dev.memos.api.auth.Caller;
import dev.memos.api.rest.SpaceArchiveResource.ArchivedCube;
import dev.memos.api.rest.SpaceArchiveResource.ExportPage;
import dev.memos.api.wire.CubeView;
import dev.memos.api.wire.ErasureView;
import dev.memos.api.wire.Views.Items;
import dev.memos.kernel.Audit;
import dev.memos.kernel.Erasures;
import dev.memos.kernel.MemoryKernel;
import dev.memos.kernel.Subjects;
import dev.memos.kernel.governance.Detectors;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.Limits;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.query.Page;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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

/**
 * Data-subject operations: everything memos holds about one person (cubes whose {@code subject} names them), across
 * the spaces the caller administers — list, export, rectify, erase (docs/privacy.md, "Data subjects"). The audit
 * trail names the subject only by a digest.
 */
@Path("/v1/subjects/{subject}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "subjects")
@SecurityRequirement(name = "apiKey")
public class SubjectResource {
    private final Subjects subjects;
    private final Erasures erasures;
    private final MemoryKernel kernel;
    private final Redacted redacted;
    private final Audit audit;
    private final Detectors detectors;
    private final Caller caller;

    public SubjectResource(Subjects subjects, Erasures erasures, MemoryKernel kernel, Redacted redacted, Audit audit,
                           Detectors detectors, Caller caller) {
        this.subjects = subjects;
        this.erasures = erasures;
        this.kernel = kernel;
        this.redacted = redacted;
        this.audit = audit;
        this.detectors = detectors;
        this.caller = caller;
    }

    /** {@code POST …/rectify}: replace {@code replace} with {@code with} in the subject's cubes, and/or move them to {@code subject}. */
    public record Rectify(String replace, String with, String subject) {
    }

    public record Rectified(List<CubeView> changed, int unchanged, List<Subjects.Skipped> skipped) {
    }

    public record Erased(List<ErasureView> erasures) {
    }

    @GET
    @Path("cubes")
    @Operation(summary = "The cubes about a data subject", description = "Live versions of every cube some version of"
            + " which names the subject, in the spaces you administer, by id. Page with cursor=nextCursor.")
    public Items<CubeView> list(@PathParam("subject") String subject, @QueryParam("cursor") String cursor,
                                @QueryParam("limit") String limit) {
        Page<MemCube> page = subjects.list(caller.principal(), subject, Params.cursor(cursor),
                Params.integer("limit", limit, Limits.DEFAULT_PAGE));
        return new Items<>(redacted.views(caller.principal(), page.items()), page.nextCursor());
    }

    @GET
    @Path("export")
    @Operation(summary = "Export everything about a data subject with every version",
            description = "The portable archive format of a space export (memos subjects export writes it to a file),"
                    + " across the spaces you administer. redact=true replaces what the detectors find. Audited.")
    public ExportPage export(@PathParam("subject") String subject, @QueryParam("cursor") String cursor,
                             @QueryParam("limit") String limit, @QueryParam("redact") String redact) {
        boolean redacting = Params.flag("redact", redact);
        CubeId after = Params.cursor(cursor);
        Page<MemCube> page = subjects.list(caller.principal(), subject, after,
                Params.integer("limit", limit, Limits.DEFAULT_PAGE));
        List<ArchivedCube> cubes = SpaceArchiveResource.archived(kernel, redacted, detectors, caller.principal(),
                page.items(), redacting);
        audit.record(caller.principal(), "subject.exported", null, Erasures.subjectTarget(subject.strip()),
                cubes.size() + " cubes" + (redacting ? ", redacted" : ""));
        return new ExportPage(cubes, page.nextCursor());
    }

    @POST
    @Path("rectify")
    @Operation(summary = "Rectify what memos holds about a data subject",
            description = "In every cube about the subject (spaces you administer) whose live text contains replace,"
                    + " a new version with it replaced by with; subject moves the cubes to a corrected subject. Cubes"
                    + " that cannot change (FROZEN, MERGED, changed meanwhile) are listed in skipped. Earlier versions"
                    + " stay in the history: erase the subject to remove them. Audited.")
    public Rectified rectify(@PathParam("subject") String subject, Rectify body) {
        Rectify r = Params.body("{\"replace\": \"old text\", \"with\": \"new text\", \"subject\": \"corrected subject\"}",
                body);
        Subjects.Rectified done = subjects.rectify(caller.principal(), subject, r.replace(), r.with(), r.subject());
        audit.record(caller.principal(), "subject.rectified", null, Erasures.subjectTarget(subject.strip()),
                done.changed().size() + " cubes changed, " + done.skipped().size() + " skipped");
        return new Rectified(redacted.views(caller.principal(), done.changed()), done.unchanged(), done.skipped());
    }

    @DELETE
    @Operation(summary = "Erase everything about a data subject",
            description = "Every cube about the subject in the spaces you administer (cascade=true: and what derives"
                    + " from them), as one erasure per space, each with its report at /v1/erasures/{id}. 404 when no"
                    + " such cube is in a space you administer. The erasures name the subject only by a digest.")
    public Response erase(@PathParam("subject") String subject, @QueryParam("cascade") String cascade,
                          @QueryParam("reason") String reason) {
        List<ErasureView> done = erasures.eraseSubject(caller.principal(), subject, Params.flag("cascade", cascade),
                reason).stream().map(ErasureView::of).toList();
        return Response.accepted(new Erased(done)).build();
    }
}
