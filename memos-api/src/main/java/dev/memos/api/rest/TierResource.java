package dev.memos.api.rest;

import dev.memos.api.auth.Caller;
import dev.memos.api.wire.CubeView;
import dev.memos.api.wire.TierWire;
import dev.memos.kernel.Tiers;
import dev.memos.kernel.access.Space;
import dev.memos.kernel.engine.AdapterUse;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.Sha256;
import jakarta.ws.rs.Consumes;
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
import java.util.ArrayList;
import java.util.List;

/** The activation and parameter tiers of a space, and the engine behind them. */
@Path("/v1/spaces/{space}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tiers")
@SecurityRequirement(name = "apiKey")
public class TierResource {
    private final Tiers tiers;
    private final dev.memos.kernel.MemoryKernel kernel;
    private final Caller caller;

    public TierResource(Tiers tiers, dev.memos.kernel.MemoryKernel kernel, Caller caller) {
        this.tiers = tiers;
        this.kernel = kernel;
        this.caller = caller;
    }

    @POST
    @Path("activation")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Compile plaintext cubes into an activation cube",
            description = "The KV state of the cubes' memory block for the engine's model (WRITE on the space). 201 "
                    + "with the new ACTIVATION cube; 200 with the existing one when these versions were compiled "
                    + "already for this model, context and adapter set.")
    public Response compile(@PathParam("space") String space, TierWire.Compile body) {
        Space.requireName(space);
        TierWire.Compile c = Params.body("{\"cubes\": [ids]}", body);
        List<CubeId> sources = Params.cubeIds("cubes", c.cubes());
        List<AdapterUse> adapters = new ArrayList<>();
        List<dev.memos.kernel.Chat.AdapterChoice> chosen = ChatSupport.adapters(c.adapters());
        for (dev.memos.kernel.Chat.AdapterChoice a : chosen == null ? List.<dev.memos.kernel.Chat.AdapterChoice>of() : chosen) {
            adapters.add(tiers.adapter(kernel.read(caller.principal(), a.cube()), a.scale()));
        }
        return made(tiers.compile(caller.principal(), space, sources, adapters));
    }

    @POST
    @Path("adapters")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "Import a LoRA adapter (GGUF) as a parameter cube",
            description = "The body is the adapter file. It is validated against the engine's model (GGUF header, "
                    + "adapter type, architecture, tensor names and shapes, rank, alpha) before anything is stored: a "
                    + "mismatch is 400 naming it. derivedFrom (comma-separated id or id@version, e.g. a distillation "
                    + "export's manifest) "
                    + "becomes its lineage; scale is applied at chat unless a request says otherwise; sha256, when "
                    + "sent, must match the body. 201, or 200 "
                    + "when the same bytes are a parameter cube of the space already.")
    public Response importAdapter(@PathParam("space") String space, @QueryParam("name") String name,
                                  @QueryParam("scale") String scale, @QueryParam("derivedFrom") String derivedFrom,
                                  @QueryParam("sha256") String sha256, byte[] body) {
        Space.requireName(space);
        if (body == null || body.length == 0) {
            throw new InvalidException("body", "send the adapter's GGUF file as the body (application/octet-stream)");
        }
        if (sha256 != null && !sha256.equalsIgnoreCase(Sha256.of(body))) {
            throw new InvalidException("sha256", "the body's SHA-256 is " + Sha256.of(body) + ", not " + sha256
                    + ": the upload was damaged or is another file");
        }
        float s;
        try {
            s = scale == null ? 1f : Float.parseFloat(scale);
        } catch (NumberFormatException e) {
            throw new InvalidException("scale", "'" + scale + "' is not a number");
        }
        List<dev.memos.kernel.SourceVersion> sources = new ArrayList<>();
        if (derivedFrom != null && !derivedFrom.isBlank()) {
            for (String item : derivedFrom.split(",")) {
                sources.add(dev.memos.kernel.SourceVersion.parse(item));
            }
        }
        return made(tiers.importAdapter(caller.principal(), space, body, new dev.memos.kernel.AdapterImport(name, s, sources)));
    }

    static Response made(Tiers.Made made) {
        Response.ResponseBuilder builder = made.created()
                ? Response.created(URI.create("/v1/cubes/" + made.cube().id())) : Response.ok();
        return builder.entity(CubeView.of(made.cube())).header("ETag", Params.etag(made.cube().version())).build();
    }
}
