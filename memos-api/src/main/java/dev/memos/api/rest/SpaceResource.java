package dev.memos.api.rest;

import dev.memos.api.auth.Caller;
import dev.memos.api.wire.Views.CreateSpace;
import dev.memos.api.wire.Views.GrantView;
import dev.memos.api.wire.Views.Items;
import dev.memos.api.wire.Views.PutGrant;
import dev.memos.api.wire.Views.SpaceResponse;
import dev.memos.kernel.Directory;
import dev.memos.kernel.access.Role;
import dev.memos.kernel.error.InvalidException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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

/** Memory spaces and the grants on them. */
@Path("/v1/spaces")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "spaces")
@SecurityRequirement(name = "apiKey")
public class SpaceResource {
    private final Directory directory;
    private final Caller caller;
    private final dev.memos.kernel.Erasures erasures;

    public SpaceResource(Directory directory, Caller caller, dev.memos.kernel.Erasures erasures) {
        this.directory = directory;
        this.erasures = erasures;
        this.caller = caller;
    }

    @POST
    @Operation(summary = "Create a space", description = "The caller becomes its administrator. A taken name gives 409.")
    public Response create(CreateSpace body) {
        CreateSpace s = Params.body("{\"name\": …}", body);
        if (s.name() == null) {
            throw new InvalidException("name", "is required");
        }
        SpaceResponse created = SpaceResponse.of(directory.createSpace(caller.principal(), s.name(), s.description()));
        return Response.created(URI.create("/v1/spaces/" + created.name())).entity(created).build();
    }

    @GET
    @Operation(summary = "The spaces the caller holds a grant on")
    public Items<SpaceResponse> list() {
        return new Items<>(directory.spaces(caller.principal()).stream().map(SpaceResponse::of).toList(), null);
    }

    @GET
    @Path("{space}")
    @Operation(summary = "One space, with the caller's role")
    public SpaceResponse get(@PathParam("space") String space) {
        return SpaceResponse.of(directory.space(caller.principal(), space));
    }

    @DELETE
    @Path("{space}")
    @Operation(summary = "Delete and erase a space", description = "Needs ADMIN. A space holding live cubes needs"
            + " force=true. 202 with the erasure request; its report at Location says what was removed and checked.")
    public Response delete(@PathParam("space") String space, @QueryParam("force") boolean force,
                           @QueryParam("reason") String reason) {
        var erasure = erasures.eraseSpace(caller.principal(), space, force, reason);
        return Response.accepted(dev.memos.api.wire.ErasureView.of(erasure))
                .location(URI.create("/v1/erasures/" + erasure.id())).build();
    }

    @GET
    @Path("{space}/grants")
    @Operation(summary = "The grants on a space", description = "Needs ADMIN.")
    public Items<GrantView> grants(@PathParam("space") String space) {
        return new Items<>(directory.grants(caller.principal(), space).stream().map(GrantView::of).toList(), null);
    }

    @PUT
    @Path("{space}/grants/{principal}")
    @Operation(summary = "Grant a principal read, write or admin on a space", description = "Needs ADMIN."
            + " clearances: the sensitivity labels the grant may read (* for all; pii clears pii.email); absent:"
            + " all for admin, none for read and write. purposes: the purposes it is bound to (a bound grant reaches"
            + " only cubes whose every version has one of them); absent: not bound. A principal always reads the"
            + " cubes it owns.")
    public GrantView grant(@PathParam("space") String space, @PathParam("principal") String principal, PutGrant body) {
        PutGrant put = Params.body("{\"role\": \"read|write|admin\", \"clearances\": [\"pii\"], \"purposes\": [\"support\"]}",
                body);
        Role role = Role.parse("role", put.role());
        return GrantView.of(directory.grant(caller.principal(), space, principal, role, put.clearances(), put.purposes()));
    }

    @DELETE
    @Path("{space}/grants/{principal}")
    @Operation(summary = "Revoke a principal's grant", description = "Needs ADMIN. The last admin cannot be removed.")
    public Response revoke(@PathParam("space") String space, @PathParam("principal") String principal) {
        directory.revoke(caller.principal(), space, principal);
        return Response.noContent().build();
    }
}
