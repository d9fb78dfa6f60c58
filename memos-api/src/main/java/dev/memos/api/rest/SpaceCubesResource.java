package dev.memos.api.rest;

import dev.memos.api.auth.Caller;
import dev.memos.api.wire.CubeRequests;
import dev.memos.api.wire.CubeView;
import dev.memos.api.wire.Views.Items;
import dev.memos.kernel.MemoryKernel;
import dev.memos.kernel.NewCube;
import dev.memos.kernel.access.Space;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.Limits;
import dev.memos.kernel.query.CubeQuery;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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

import java.net.URI;
import java.util.Objects;

/** Writing and listing the cubes of one space. */
@Path("/v1/spaces/{space}/cubes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "cubes")
@SecurityRequirement(name = "apiKey")
public class SpaceCubesResource {
    private final MemoryKernel kernel;
    private final Caller caller;

    private final Redacted redacted;

    public SpaceCubesResource(MemoryKernel kernel, Redacted redacted, Caller caller) {
        this.kernel = kernel;
        this.redacted = redacted;
        this.caller = caller;
    }

    @POST
    @Operation(summary = "Write a plaintext cube",
            description = "201 with the new cube. With an idempotency key (body field or Idempotency-Key header) "
                    + "a repeated write answers 200 with the first cube.")
    public Response create(@PathParam("space") String space, @HeaderParam("Idempotency-Key") String keyHeader,
                           CubeRequests.Create body) {
        Space.requireName(space);
        CubeRequests.Create c = Params.body("the cube to write, at least {\"text\": …}", body);
        String key = c.idempotencyKey();
        if (keyHeader != null && key != null && !Objects.equals(keyHeader, key)) {
            throw new InvalidException("idempotencyKey", "differs from the Idempotency-Key header");
        }
        key = key != null ? key : keyHeader;
        NewCube request = new NewCube(c.text(), c.kind(), c.tags(), c.source(), c.sourceRef(), c.sessionId(),
                c.validFrom(), c.validTo(), c.expiresAt(), c.priority(), c.sensitivity(), c.purpose(), key,
                Params.cubeIds("derivedFrom", c.derivedFrom()), c.subject());
        MemoryKernel.WriteResult result = kernel.write(caller.principal(), space, request);
        if (!result.created() && result.cube().state() == dev.memos.kernel.model.LifecycleState.DELETED) {
            throw new dev.memos.kernel.error.ConflictException("the idempotency key '" + key + "' was used for cube "
                    + result.cube().id() + ", which has been deleted; nothing was written: use a new key to write it again");
        }
        Response.ResponseBuilder response = result.created()
                ? Response.created(URI.create("/v1/cubes/" + result.cube().id()))
                : Response.ok().header("Idempotent-Replayed", "true");
        return CubeResource.withEtag(response, redacted.view(caller.principal(), result.cube()));
    }

    @GET
    @Operation(summary = "List a space's cubes",
            description = "In creation order; every state but DELETED unless state= is given. Page with cursor=nextCursor."
                    + " asOf (ISO-8601 instant, recorded time): each cube as the version memos held as current then;"
                    + " cubes written later are absent, and kind, tag and validAt apply to that version.")
    public Items<CubeView> list(@PathParam("space") String space, @QueryParam("state") String state,
                                @QueryParam("kind") String kind, @QueryParam("tag") String tag,
                                @QueryParam("validAt") String validAt, @QueryParam("cursor") String cursor,
                                @QueryParam("limit") String limit, @QueryParam("asOf") String asOf) {
        Space.requireName(space);
        CubeId after = Params.cursor(cursor);
        CubeQuery query = new CubeQuery(Params.state("state", state), blankToNull(kind), blankToNull(tag),
                Params.instant("validAt", validAt), after, Params.integer("limit", limit, Limits.DEFAULT_PAGE),
                Params.instant("asOf", asOf));
        var page = kernel.list(caller.principal(), space, query);
        return new Items<>(redacted.views(caller.principal(), page.items()), page.nextCursor());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
