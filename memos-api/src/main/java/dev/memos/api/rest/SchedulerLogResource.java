package dev.memos.api.rest;

import dev.memos.api.auth.Caller;
import dev.memos.api.wire.Views.Items;
import dev.memos.cubes.store.sql.JtaTransactions;
import dev.memos.cubes.store.sql.SqlOutbox;
import dev.memos.kernel.Directory;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.event.KernelEvent;
import dev.memos.kernel.model.Limits;
import dev.memos.kernel.spi.OutboxQueue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Why memos moved a space's memories: the scheduler's decisions, newest first. */
@Path("/v1/spaces/{space}/scheduler/log")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "spaces")
@SecurityRequirement(name = "apiKey")
public class SchedulerLogResource {
    private final Directory directory;
    private final SqlOutbox outbox;
    private final JtaTransactions tx;
    private final Caller caller;

    public SchedulerLogResource(Directory directory, SqlOutbox outbox, JtaTransactions tx, Caller caller) {
        this.directory = directory;
        this.outbox = outbox;
        this.tx = tx;
        this.caller = caller;
    }

    /** One decision: what moved, from where to where, by which policy, why, and on which inputs. */
    public record DecisionView(String eventId, Instant at, String type, String cubeId, String from, String to,
                               String policy, String reason, Map<String, String> inputs) {
        static DecisionView of(KernelEvent e) {
            Map<String, String> inputs = new LinkedHashMap<>();
            e.data().forEach((k, v) -> {
                if (k.startsWith("input.")) {
                    inputs.put(k.substring("input.".length()), v);
                }
            });
            return new DecisionView(e.eventId().toString(), e.occurredAt(), e.type().wireName(),
                    e.cubeId() == null ? null : e.cubeId().toString(), e.data().get("from"), e.data().get("to"),
                    e.data().get("policy"), e.data().get("reason"), inputs);
        }
    }

    @GET
    @Operation(summary = "The scheduler's decisions about a space's cubes",
            description = "Newest first: memos' own decisions (TTL expiries, demotions, consolidations, activation "
                    + "compiles) and the tier migrations principals asked for, each with the policy, the reason and its "
                    + "inputs. Needs READ. "
                    + "Page with cursor=nextCursor.")
    public Items<DecisionView> log(@PathParam("space") String space, @QueryParam("limit") Integer limit,
                                   @QueryParam("cursor") String cursor) {
        int n = limit == null ? Limits.DEFAULT_PAGE : limit;
        if (n < 1 || n > Limits.MAX_PAGE) {
            throw new InvalidException("limit", "must be between 1 and " + Limits.MAX_PAGE);
        }
        Long before;
        try {
            before = cursor == null || cursor.isBlank() ? null : Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw new InvalidException("cursor", "is not a cursor returned by this endpoint");
        }
        String principal = caller.principal().id();
        List<OutboxQueue.Pending> page = tx.inTransaction(() -> {
            directory.space(caller.principal(), space); // 404 for a space the caller cannot read, as everywhere
            return outbox.decisions(space, principal, before, n + 1); // and the read itself carries the grant
        });
        String next = page.size() > n ? Long.toString(page.get(n - 1).seq()) : null;
        return new Items<>(page.stream().limit(n).map(p -> DecisionView.of(p.event())).toList(), next);
    }
}
