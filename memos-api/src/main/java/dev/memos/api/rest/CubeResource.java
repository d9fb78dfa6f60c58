package dev.memos.api.rest;

import dev.memos.api.auth.Caller;
import dev.memos.api.problem.Problems;
import dev.memos.api.wire.CubeRequests;
import dev.memos.api.wire.CubeView;
import dev.memos.api.wire.Views.Items;
import dev.memos.api.wire.LineageWire;
import dev.memos.kernel.CubePatch;
import dev.memos.kernel.Lineage;
import dev.memos.kernel.lineage.Direction;
import dev.memos.kernel.MemoryKernel;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.MemCube;
import jakarta.ws.rs.Consumes;
import dev.memos.api.wire.ErasureView;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A cube by its id: read, history, change, lifecycle. Unknown and unreadable cubes are both 404. */
@Path("/v1/cubes/{id}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "cubes")
@SecurityRequirement(name = "apiKey")
public class CubeResource {
    private final MemoryKernel kernel;
    private final Lineage lineage;
    private final dev.memos.kernel.Tiers tiers;
    private final dev.memos.kernel.Contradictions contradictions;
    private final Redacted redacted;
    private final Caller caller;
    private final dev.memos.kernel.Erasures erasures;

    public CubeResource(MemoryKernel kernel, Lineage lineage, dev.memos.kernel.Tiers tiers,
                        dev.memos.kernel.Contradictions contradictions, Redacted redacted, Caller caller,
                        dev.memos.kernel.Erasures erasures) {
        this.kernel = kernel;
        this.erasures = erasures;
        this.redacted = redacted;
        this.tiers = tiers;
        this.contradictions = contradictions;
        this.lineage = lineage;
        this.caller = caller;
    }

    static Response withEtag(Response.ResponseBuilder builder, CubeView view) {
        return builder.entity(view).header(HttpHeaders.ETAG, Params.etag(view.version())).build();
    }

    private Response withEtag(Response.ResponseBuilder builder, MemCube cube) {
        return withEtag(builder, redacted.view(caller.principal(), cube));
    }

    @GET
    @Operation(summary = "The live version of a cube", description = "ETag carries the version, for If-Match."
            + " asOf (ISO-8601 instant, recorded time): the version memos held as current then instead — what it"
            + " believed at that time (no ETag: it need not be the live version).")
    public Response get(@PathParam("id") String id, @QueryParam("asOf") String asOf) {
        Instant at = Params.instant("asOf", asOf);
        if (at != null) {
            return Response.ok(redacted.view(caller.principal(), kernel.readAsOf(caller.principal(), CubeId.parse(id), at)))
                    .build();
        }
        return withEtag(Response.ok(), kernel.read(caller.principal(), CubeId.parse(id)));
    }

    @GET
    @Path("versions")
    @Operation(summary = "Every version of a cube, oldest first")
    public Items<CubeView> versions(@PathParam("id") String id) {
        return new Items<>(redacted.views(caller.principal(), kernel.history(caller.principal(), CubeId.parse(id))), null);
    }

    @GET
    @Path("lineage")
    @Operation(summary = "Where a cube came from and what became of it",
            description = "Nodes are cube versions, edges VERSION_OF, DERIVED_FROM, MERGED_INTO, MIGRATED_TO. A version "
                    + "of a cube you may not read is shown as redacted. direction: ancestors | descendants | both "
                    + "(default); depth 0 … " + Lineage.MAX_DEPTH + " (default " + Lineage.DEFAULT_DEPTH + "); at most "
                    + Lineage.MAX_NODES + " nodes, nearest first (truncated says when more were in reach).")
    public LineageWire.Graph lineage(@PathParam("id") String id, @QueryParam("direction") String direction,
                                     @QueryParam("depth") String depth) {
        Direction d = Params.choice("direction", direction, Direction.class, Direction.BOTH);
        int n = Params.integer("depth", depth, Lineage.DEFAULT_DEPTH);
        return LineageWire.Graph.of(lineage.view(caller.principal(), CubeId.parse(id), d, n),
                d.name().toLowerCase(java.util.Locale.ROOT), n);
    }

    @GET
    @Path("provenance")
    @Operation(summary = "How a cube came to be",
            description = "Every version it descends from, origins first, each with its operation, actor, source and "
                    + "the versions it was made from.")
    public LineageWire.Provenance provenance(@PathParam("id") String id) {
        return LineageWire.Provenance.of(lineage.provenance(caller.principal(), CubeId.parse(id)));
    }

    @GET
    @Path("versions/{version}")
    @Operation(summary = "One version of a cube")
    public CubeView version(@PathParam("id") String id, @PathParam("version") String version) {
        int n = Params.integer("version", version, 0);
        return redacted.view(caller.principal(), kernel.readVersion(caller.principal(), CubeId.parse(id), n));
    }

    @PATCH
    @Operation(summary = "Change a cube: makes version n+1",
            description = "Requires If-Match with the version the change is based on: 428 without it, 412 when stale.")
    public Response patch(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                          CubeRequests.Patch body) {
        CubeId cubeId = CubeId.parse(id);
        Integer expected = Params.ifMatch(ifMatch);
        if (expected == null) {
            return Problems.response(428, "precondition-required", "Precondition required",
                    "send If-Match with the version your change is based on (the ETag of GET /v1/cubes/" + id + ")",
                    "If-Match");
        }
        CubeRequests.Patch p = Params.body("the fields to change", body);
        CubePatch patch = new CubePatch(p.text(), p.kind(), p.tags(), p.validFrom(), p.validTo(), p.expiresAt(),
                Boolean.TRUE.equals(p.clearExpiresAt()), p.priority(), p.sensitivity(), p.purpose(), p.subject());
        return withEtag(Response.ok(), kernel.update(caller.principal(), cubeId, expected, patch));
    }

    @POST
    @Path("rollback")
    @Operation(summary = "Roll back: version n+1 carries an earlier version's payload",
            description = "If-Match is optional here; when sent, a stale version gives 412.")
    public Response rollback(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                             CubeRequests.Rollback body) {
        CubeId cubeId = CubeId.parse(id);
        Integer to = Params.body("{\"version\": n}", body).version();
        if (to == null) {
            throw new InvalidException("version", "is required: the version to roll back to");
        }
        return withEtag(Response.ok(), kernel.rollback(caller.principal(), cubeId, to, Params.ifMatch(ifMatch)));
    }

    @POST
    @Path("transitions")
    @Operation(summary = "Move a cube along its lifecycle", description = "An illegal transition gives 409.")
    public Response transition(@PathParam("id") String id, CubeRequests.Transition body) {
        CubeId cubeId = CubeId.parse(id);
        CubeRequests.Transition t = Params.body("{\"to\": state}", body);
        if (t.to() == null) {
            throw new InvalidException("to", "is required: the target state");
        }
        return withEtag(Response.ok(), kernel.transition(caller.principal(), cubeId, t.to(), t.reason()));
    }

    @POST
    @Path("invalidate")
    @Operation(summary = "Record that the fact no longer holds",
            description = "Sets validTo (default now) and supersededAt; the cube stays readable.")
    public Response invalidate(@PathParam("id") String id, CubeRequests.Invalidate body) {
        CubeId cubeId = CubeId.parse(id);
        CubeRequests.Invalidate i = body == null ? new CubeRequests.Invalidate(null, null) : body;
        return withEtag(Response.ok(), kernel.invalidate(caller.principal(), cubeId, i.validTo(), i.reason()));
    }

    @POST
    @Path("migrate")
    @Operation(summary = "Move a plaintext cube's knowledge to another tier",
            description = "{\"tier\": \"ACTIVATION\"} compiles the cube into an activation cube (the KV state of its "
                    + "memory block for the engine's model; the source keeps its own lifecycle): 201 with the new cube, "
                    + "200 with the one made before from the same version. PARAMETER is trained, not converted: 409 "
                    + "says how. Without an engine: 503 naming memos.engine.model.")
    public Response migrate(@PathParam("id") String id, dev.memos.api.wire.TierWire.Migrate body) {
        CubeId cubeId = CubeId.parse(id);
        dev.memos.api.wire.TierWire.Migrate m = Params.body("{\"tier\": \"ACTIVATION\"}", body);
        if (m.tier() == null) {
            throw new InvalidException("tier", "is required: ACTIVATION or PARAMETER");
        }
        return TierResource.made(tiers.migrate(caller.principal(), cubeId, m.tier()));
    }

    /** @param candidates the nearest live facts to judge, 1 … 20 (default 5) */
    public record ContradictionCheck(Integer candidates) {
    }

    public record Verdict(String cube, int version, boolean contradicted) {
    }

    public record Verdicts(List<Verdict> verdicts) {
    }

    @POST
    @Path("contradictions")
    @Operation(summary = "Invalidate the live facts this one contradicts",
            description = "The nearest live plaintext facts of the space (search) are judged by the inference engine "
                    + "(grammar-constrained yes/no); each it says this cube contradicts is invalidated (validTo = this "
                    + "cube's validFrom or now, a reason naming it, a CONTRADICTS lineage edge). WRITE on the space; "
                    + "503 without an engine. As good as the model is.")
    public Verdicts contradictions(@PathParam("id") String id, ContradictionCheck body) {
        int n = body == null || body.candidates() == null ? 5 : body.candidates();
        return new Verdicts(contradictions.check(caller.principal(), CubeId.parse(id), n).stream()
                .map(v -> new Verdict(v.cube().toString(), v.version(), v.contradicted())).toList());
    }

    @POST
    @Path("release")
    @Operation(summary = "Release a quarantined cube into recall", description = "Administrators of its space: a"
            + " QUARANTINED cube (an untrusted writer, or text addressing the model) becomes GENERATED; audited.")
    public Response release(@PathParam("id") String id, CubeRequests.Release body) {
        String reason = body == null ? null : body.reason();
        return withEtag(Response.ok(), kernel.release(caller.principal(), CubeId.parse(id), reason));
    }

    @DELETE
    @Operation(summary = "Delete and erase a cube", description = "Leaves a tombstone without content (id, space,"
            + " state, times, actors) and starts an erasure: 202 with the request, whose report at Location says,"
            + " place by place, what was removed and how it was checked. Cubes derived from it are listed; with"
            + " cascade=true those you may write are erased too.")
    public Response delete(@PathParam("id") String id, @QueryParam("cascade") String cascade,
                           @QueryParam("reason") String reason) {
        var erasure = erasures.eraseCube(caller.principal(), CubeId.parse(id), Params.flag("cascade", cascade), reason);
        return Response.accepted(ErasureView.of(erasure)).location(java.net.URI.create("/v1/erasures/" + erasure.id()))
                .build();
    }
}
