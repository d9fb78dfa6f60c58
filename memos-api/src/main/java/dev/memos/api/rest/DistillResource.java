package dev.memos.api.rest;

import dev.memos.api.auth.Caller;
import dev.memos.api.wire.TierWire;
import dev.memos.kernel.Distillation;
import dev.memos.kernel.access.Space;
import dev.memos.kernel.error.InvalidException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/** A space's stable memories as a fine-tuning set, for a LoRA adapter trained elsewhere. */
@Path("/v1/spaces/{space}/distill")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "tiers")
@SecurityRequirement(name = "apiKey")
public class DistillResource {
    private final Distillation distillation;
    private final Caller caller;

    public DistillResource(Distillation distillation, Caller caller) {
        this.distillation = distillation;
        this.caller = caller;
    }

    @POST
    @Operation(summary = "Export stable memories as a supervised fine-tuning set",
            description = "Live plaintext cubes (GENERATED, ACTIVATED, FROZEN) whose live version is at least minAge old "
                    + "(ISO-8601, default P7D), not invalidated and valid now, with heat ≥ minHeat (default 0); hottest "
                    + "first, at most limit (default and at most 256). Each becomes a chat example whose answer is the "
                    + "memory; the manifest names every cube@version. Import the trained adapter with derivedFrom = "
                    + "those to link it to exactly them (READ on the space).")
    public TierWire.DistillSet distill(@PathParam("space") String space, TierWire.Distill body) {
        Space.requireName(space);
        TierWire.Distill d = body == null ? new TierWire.Distill(null, null, null) : body;
        Duration minAge;
        try {
            minAge = d.minAge() == null ? Duration.ofDays(7) : Duration.parse(d.minAge());
        } catch (DateTimeParseException e) {
            throw new InvalidException("minAge", "'" + d.minAge() + "' is not an ISO-8601 duration such as P7D or PT1H");
        }
        Distillation.Selection selection = new Distillation.Selection(minAge, d.minHeat() == null ? 0 : d.minHeat(),
                d.limit() == null ? Distillation.MAX_CUBES : d.limit());
        return TierWire.DistillSet.of(distillation.export(caller.principal(), space, selection));
    }
}
