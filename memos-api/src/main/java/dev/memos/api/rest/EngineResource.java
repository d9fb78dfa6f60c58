package dev.memos.api.rest;

import dev.memos.api.auth.Caller;
import dev.memos.api.wire.TierWire;
import dev.memos.kernel.engine.EngineProvider;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The inference engine behind the activation and parameter tiers. */
@Path("/v1/engine")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tiers")
@SecurityRequirement(name = "apiKey")
public class EngineResource {
    private final EngineProvider engines;
    private final Caller caller;

    public EngineResource(EngineProvider engines, Caller caller) {
        this.engines = engines;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The inference engine and its model",
            description = "503 not-configured without memos.engine.model; 503 unavailable when the model failed to load.")
    public TierWire.Engine engine() {
        caller.principal();
        return TierWire.Engine.of(engines.require());
    }
}
