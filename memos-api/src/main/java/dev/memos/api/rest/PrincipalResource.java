package dev.memos.api.rest;

import dev.memos.api.auth.Caller;
import dev.memos.api.wire.Views.CreatePrincipal;
import dev.memos.api.wire.Views.IssuedPrincipal;
import dev.memos.api.wire.Views.PrincipalView;
import dev.memos.kernel.Directory;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Users and agents, and their API keys. */
@Path("/v1/principals")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "principals")
@SecurityRequirement(name = "apiKey")
public class PrincipalResource {
    private final Directory directory;
    private final Caller caller;
    private final dev.memos.api.auth.Authenticator authenticator;

    public PrincipalResource(Directory directory, Caller caller, dev.memos.api.auth.Authenticator authenticator) {
        this.directory = directory;
        this.caller = caller;
        this.authenticator = authenticator;
    }

    @POST
    @Operation(summary = "Create a principal (administrators only)",
            description = "The answer holds the principal's API key; it is shown this once and stored only as a hash.")
    public Response create(CreatePrincipal body) {
        CreatePrincipal p = Params.body("{\"name\": …}", body);
        Directory.IssuedKey issued = directory.createPrincipal(caller.principal(), p.name(), p.kind(),
                Boolean.TRUE.equals(p.admin()));
        var principal = issued.principal();
        return Response.status(Response.Status.CREATED)
                .entity(new IssuedPrincipal(principal.id(), principal.name(), principal.kind(), principal.admin(),
                        principal.createdAt(), issued.apiKey()))
                .build();
    }

    @POST
    @Path("{id}/key")
    @Operation(summary = "Replace a principal's API key",
            description = "Issues a new key, shown this once; the old one stops working at once on this instance and, "
                    + "through the event bus, on every other (docs/api.md, Principals). An administrator may replace any "
                    + "key, a principal its own ({id} may be 'me').")
    public IssuedPrincipal replaceKey(@jakarta.ws.rs.PathParam("id") String id) {
        String target = "me".equals(id) ? caller.principal().id() : id;
        Directory.IssuedKey issued = directory.replaceKey(caller.principal(), target);
        var principal = issued.principal();
        authenticator.forget(principal.id());
        return new IssuedPrincipal(principal.id(), principal.name(), principal.kind(), principal.admin(),
                principal.createdAt(), issued.apiKey());
    }

    @GET
    @Path("me")
    @Operation(summary = "The principal the API key belongs to")
    public PrincipalView me() {
        return PrincipalView.of(caller.principal());
    }
}
