package dev.memos.api.rest;

import dev.memos.api.auth.Caller;
import dev.memos.cubes.search.lucene.LuceneSearchIndex;
import dev.memos.cubes.store.sql.JtaTransactions;
import dev.memos.cubes.store.sql.SqlOutbox;
import dev.memos.kernel.Directory;
import dev.memos.kernel.error.ForbiddenException;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.event.EventType;
import dev.memos.kernel.event.KernelEvent;
import dev.memos.kernel.spi.Outbox;
import dev.memos.kernel.spi.SearchIndex;
import dev.memos.kernel.spi.SetAside;
import dev.memos.kernel.spi.Transactions;
import dev.memos.scheduler.index.Reindexer;
import dev.memos.scheduler.index.SearchIndexer;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Operations on the derived search index (administrators only). */
@Path("/v1/admin/index")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
@SecurityRequirement(name = "apiKey")
public class AdminResource {
    private final Reindexer reindexer;
    private final SearchIndex index;
    private final Caller caller;
    private final dev.memos.kernel.Audit audit;

    private final SearchIndexer indexer;
    private final Outbox outbox;
    private final Transactions transactions;
    private final Clock clock;

    public AdminResource(Reindexer reindexer, SearchIndex index, Caller caller, dev.memos.kernel.Audit audit,
                         SearchIndexer indexer, SqlOutbox outbox, JtaTransactions transactions, Clock clock) {
        this.audit = audit;
        this.indexer = indexer;
        this.outbox = outbox;
        this.transactions = transactions;
        this.clock = clock;
        this.reindexer = reindexer;
        this.index = index;
        this.caller = caller;
    }

    public record Optimized(int segmentsBefore, int segmentsAfter, long tookMs) {
    }

    @POST
    @Path("optimize")
    @Operation(summary = "Merge the search index into few segments",
            description = "After a bulk load: a search then visits one HNSW graph instead of many, which makes kNN "
                    + "several times faster at a million cubes (docs/benchmarks.md). Takes minutes at that size and "
                    + "needs free disk for a copy of the index; searches and writes go on meanwhile. segments: 1 … 64, "
                    + "default 1.")
    public Optimized optimize(@QueryParam("segments") String segments) {
        requireAdmin();
        int target = Params.integer("segments", segments, 1);
        if (target < 1 || target > 64) {
            throw new InvalidException("segments", "must be 1 … 64; got " + target);
        }
        if (!(index instanceof LuceneSearchIndex lucene)) {
            throw new dev.memos.kernel.error.ConflictException("optimize merges the embedded Lucene index's segments;"
                    + " this node's search index is " + index.getClass().getSimpleName());
        }
        audit.record(caller.principal(), "admin.index-optimize", null, null, "segments=" + target);
        int before = lucene.segments();
        long t0 = System.nanoTime();
        lucene.forceMerge(target);
        return new Optimized(before, lucene.segments(), (System.nanoTime() - t0) / 1_000_000);
    }

    public record Rebuilt(long indexed, long tookMs) {
    }

    @POST
    @Path("rebuild")
    @Operation(summary = "Rebuild the search index from the database", description = "Progress goes to the log.")
    public Rebuilt rebuild() {
        requireAdmin();
        audit.record(caller.principal(), "admin.index-rebuild", null, null, null);
        long t0 = System.nanoTime();
        long done = reindexer.rebuildLoggingProgress();
        return new Rebuilt(done, (System.nanoTime() - t0) / 1_000_000);
    }

    @GET
    @Path("check")
    @Operation(summary = "Compare the index with the database",
            description = "Lists cubes missing from the index, indexed at an old version, or indexed but gone.")
    public Reindexer.Report check() {
        requireAdmin();
        return reindexer.check();
    }

    /** One cube set aside: its id, space, why, how many times it failed, and when first and last. */
    public record SetAsideCube(String id, String space, String reason, int attempts, java.time.Instant firstAt,
                               java.time.Instant lastAt) {
        static SetAsideCube of(SetAside.Entry e) {
            return new SetAsideCube(e.cube().toString(), e.space(), e.reason(), e.attempts(), e.firstAt(), e.lastAt());
        }
    }

    public record SetAsideList(long total, List<SetAsideCube> cubes) {
    }

    @GET
    @Path("set-aside")
    @Operation(summary = "Cubes the indexer set aside",
            description = "Cubes whose text the embedder refused (an answer 4xx other than 408 and 429, e.g. a text over"
                    + " its limit): each is indexed for keywords only, with the reason, oldest first. limit: 1 … 1000,"
                    + " default 100. Also the metric memos_index_set_aside.")
    public SetAsideList setAside(@QueryParam("limit") String limit) {
        requireAdmin();
        int n = Params.integer("limit", limit, 100);
        if (n < 1 || n > 1_000) {
            throw new InvalidException("limit", "must be 1 … 1000; got " + n);
        }
        return new SetAsideList(indexer.setAsideCount(), indexer.setAside(n).stream().map(SetAsideCube::of).toList());
    }

    public record Retried(long before, long stillSetAside, long tookMs) {
    }

    @POST
    @Path("set-aside/retry")
    @Operation(summary = "Index the cubes set aside again",
            description = "After the cause is fixed (e.g. memos.embedding.openai.max-input-chars lowered, or the model"
                    + " server changed): each cube this node set aside is embedded and indexed again, and those refused"
                    + " again stay set aside; the figures are this node's. Every other node retries its own when the"
                    + " event index.retry-requested reaches it. A failure that may pass (the embedder unreachable)"
                    + " answers 503.")
    public Retried retrySetAside() {
        requireAdmin();
        audit.record(caller.principal(), "admin.index-retry-set-aside", null, null, null);
        // each node keeps its own index and its own list: the others retry theirs when this event reaches them
        transactions.inTransaction(() -> {
            outbox.append(new KernelEvent(UUID.randomUUID(), EventType.INDEX_RETRY_REQUESTED, Directory.NO_SPACE, null,
                    0, caller.principal().id(), clock.instant(), Map.of()));
            return null;
        });
        long t0 = System.nanoTime();
        long before = indexer.setAsideCount();
        long after = indexer.retrySetAside();
        return new Retried(before, after, (System.nanoTime() - t0) / 1_000_000);
    }

    private void requireAdmin() {
        if (!caller.principal().admin()) {
            throw new ForbiddenException("only an administrator may operate the search index");
        }
    }
}
