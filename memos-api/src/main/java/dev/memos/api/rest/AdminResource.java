package dev.memos.api.rest;

import dev.memos.api.auth.Caller;
import dev.memos.cubes.search.lucene.LuceneSearchIndex;
import dev.memos.kernel.error.ForbiddenException;
import dev.memos.kernel.error.InvalidException;
import dev.memos.scheduler.index.Reindexer;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Operations on the derived search index (administrators only). */
@Path("/v1/admin/index")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
@SecurityRequirement(name = "apiKey")
public class AdminResource {
    private final Reindexer reindexer;
    private final LuceneSearchIndex index;
    private final Caller caller;
    private final dev.memos.kernel.Audit audit;

    public AdminResource(Reindexer reindexer, LuceneSearchIndex index, Caller caller, dev.memos.kernel.Audit audit) {
        this.audit = audit;
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
        audit.record(caller.principal(), "admin.index-optimize", null, null, "segments=" + target);
        int before = index.segments();
        long t0 = System.nanoTime();
        index.forceMerge(target);
        return new Optimized(before, index.segments(), (System.nanoTime() - t0) / 1_000_000);
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

    private void requireAdmin() {
        if (!caller.principal().admin()) {
            throw new ForbiddenException("only an administrator may operate the search index");
        }
    }
}
