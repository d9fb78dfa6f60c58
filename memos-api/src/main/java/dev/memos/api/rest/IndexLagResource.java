package dev.memos.api.rest;

import dev.memos.api.auth.Caller;
import dev.memos.cubes.store.sql.JtaTransactions;
import dev.memos.cubes.store.sql.SqlOutbox;
import dev.memos.kernel.Directory;
import dev.memos.kernel.access.Space;
import dev.memos.kernel.spi.OutboxQueue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** How far the search index lags behind the writes of a space, so a client can wait for it before searching. */
@Path("/v1/spaces/{space}/search/lag")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "search")
@SecurityRequirement(name = "apiKey")
public class IndexLagResource {
    private final Directory directory;
    private final SqlOutbox outbox;
    private final JtaTransactions tx;
    private final Caller caller;
    private final Clock clock;
    private final dev.memos.scheduler.index.SearchIndexer indexer;

    public IndexLagResource(Directory directory, SqlOutbox outbox, JtaTransactions tx, Caller caller, Clock clock,
                            dev.memos.scheduler.index.SearchIndexer indexer) {
        this.indexer = indexer;
        this.directory = directory;
        this.outbox = outbox;
        this.tx = tx;
        this.caller = caller;
        this.clock = clock;
    }

    /**
     * @param pendingEvents the space's changes not yet published by the relay (on the embedded bus: not yet
     *                      searchable)
     * @param oldestPendingAt when the oldest of them happened; null when none
     * @param lagMs how long ago that was; 0 when none
     * @param pendingWindows the space's context windows still searched with a stand-in vector on this node, until
     *                       the indexer, when idle, embeds their text (memos.search.context.embed-windows)
     */
    public record Lag(String space, long pendingEvents, Instant oldestPendingAt, long lagMs, long pendingWindows) {
    }

    @GET
    @Operation(summary = "How far the search index lags behind the space's writes",
            description = "Changes not yet handed to the indexer and the age of the oldest. On the Kafka bus the "
                    + "indexer's consumer lag is the metric memos.bus.indexer.lag. pendingWindows: context windows"
                    + " of the space still searched with a stand-in vector on this node (their text is embedded when"
                    + " the indexer is idle).")
    public Lag lag(@PathParam("space") String space) {
        Space.requireName(space);
        directory.space(caller.principal(), space);
        OutboxQueue.Backlog backlog = tx.inTransaction(() -> outbox.backlog(List.of(space)));
        return new Lag(space, backlog.events(), backlog.oldest(),
                backlog.oldest() == null ? 0 : Math.max(0, Duration.between(backlog.oldest(), clock.instant()).toMillis()),
                indexer.pendingWindows(space));
    }
}
