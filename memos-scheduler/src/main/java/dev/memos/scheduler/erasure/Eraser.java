package dev.memos.scheduler.erasure;

import dev.memos.kernel.erasure.Erasure;
import dev.memos.kernel.erasure.ErasureProbes;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.spi.CubeCache;
import dev.memos.kernel.spi.ErasureStore;
import dev.memos.kernel.spi.LineageStore;
import dev.memos.kernel.spi.SearchIndex;
import dev.memos.kernel.spi.Transactions;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Completes erasure requests: in every place that follows the database asynchronously it removes what is left
 * of the erased cubes, then checks each place and writes the report. A request whose checks all pass is
 * VERIFIED; one still failing at its deadline is FAILED, with the checks saying where and what. Runs every
 * {@code interval} on each instance (each holds its own search index).
 *
 * <p>Places: the database (queried for any leftover content, event reasons, orphan blobs), the search index
 * (entries removed, then the segments that held them rewritten: a deleted document otherwise stays in its
 * segment's files), the lineage graph (a space's nodes removed; a cube's nodes keep only ids and operations),
 * the working-set cache, and the files under the data directory (the database compacted so freed pages are
 * overwritten, then every file scanned for the erased texts).
 */
public final class Eraser implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Eraser.class);

    private final ErasureStore store;
    private final ErasureProbes probes;
    private final SearchIndex index;
    private final LineageStore lineage;
    private final CubeCache cache;
    private final Transactions transactions;
    private final Clock clock;
    private final FileScan files;
    private final Duration interval;
    private volatile boolean running;
    private Thread thread;

    public Eraser(ErasureStore store, ErasureProbes probes, SearchIndex index, LineageStore lineage, CubeCache cache,
                  Transactions transactions, Clock clock, FileScan files, Duration interval) {
        this.store = store;
        this.probes = probes;
        this.index = index;
        this.lineage = lineage;
        this.cache = cache;
        this.transactions = transactions;
        this.clock = clock;
        this.files = files;
        this.interval = interval;
    }

    public void start() {
        running = true;
        thread = Thread.ofPlatform().name("memos-eraser").daemon().start(() -> {
            while (running) {
                try {
                    runOnce();
                } catch (RuntimeException e) {
                    LOG.warn("an erasure round failed; retrying", e);
                }
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Works through the pending requests once; returns how many it completed (VERIFIED or FAILED). */
    public synchronized int runOnce() {
        List<Erasure> pending = transactions.inTransaction(() -> store.pending(50));
        if (pending.isEmpty()) {
            return 0;
        }
        String reclaimed = reclaim();
        int done = 0;
        for (Erasure erasure : pending) {
            List<Erasure.Check> checks = check(erasure, reclaimed);
            boolean passed = checks.stream().allMatch(Erasure.Check::passed);
            Instant now = clock.instant();
            if (passed || now.isAfter(erasure.dueAt())) {
                Erasure outcome = erasure.completed(passed ? Erasure.Status.VERIFIED : Erasure.Status.FAILED, now, checks);
                transactions.inTransaction(() -> {
                    store.complete(outcome);
                    return null;
                });
                probes.forget(erasure.id());
                done++;
                if (!passed) {
                    LOG.errorf("erasure %s FAILED its checks by its deadline: %s", erasure.id(), checks.stream()
                            .filter(c -> !c.passed()).map(c -> c.place() + ": " + c.check()).toList());
                }
            }
        }
        return done;
    }

    /** Once per round, before the checks: outside any transaction (PostgreSQL's VACUUM cannot run in one). */
    private String reclaim() {
        try {
            return store.reclaim();
        } catch (RuntimeException e) {
            LOG.warn("reclaiming the database's free space failed", e);
            return "reclaiming the database's free space failed: " + e.getMessage();
        }
    }

    private List<Erasure.Check> check(Erasure erasure, String reclaimed) {
        List<Erasure.Check> checks = new ArrayList<>();
        boolean space = erasure.scope() == Erasure.Scope.SPACE;

        List<String> residue = transactions.inTransaction(() -> store.residue(erasure));
        checks.add(new Erasure.Check("database", space
                ? "the space, its grants, cubes, versions and tags deleted; its events other than space.deleted removed"
                : "tombstones keep id, space, state, times and actors; text, kind, tags, blobs, source reference,"
                + " session, sources, labels and purpose purged from every version; idempotency key kept as a hash;"
                + " reasons dropped from the cube's events",
                residue.isEmpty() ? "queried every table that can hold it: nothing left" : "found " + String.join("; ", residue),
                residue.isEmpty()));

        long held;
        if (space) {
            index.removeSpace(erasure.space());
            held = index.expungeRemovedSpace(erasure.space());
        } else {
            erasure.cubes().forEach(index::remove);
            held = index.expungeRemoved(erasure.cubes());
        }
        checks.add(new Erasure.Check("search-index", "entries removed; every segment holding one, live or deleted,"
                + " rewritten and the old segment files deleted", held == 0
                ? "no segment holds a document of the erased cubes, live or deleted"
                : held + (space ? " space" : " cubes") + " still held by a segment", held == 0));

        if (space) {
            long nodes = transactions.inTransaction(() -> {
                lineage.removeSpace(erasure.space());
                return lineage.count(erasure.space());
            });
            checks.add(new Erasure.Check("lineage", "the space's versions and their edges removed from the graph",
                    nodes + " nodes of the space found", nodes == 0));
        } else {
            checks.add(new Erasure.Check("lineage", "kept: the graph's nodes and edges hold ids, versions, operations,"
                    + " actors and times, no content (docs/lineage.md)", "nothing to remove by the graph's schema", true));
        }

        List<CubeId> cached = erasure.cubes().stream().filter(id -> cache.get(id) != null).toList();
        cached.forEach(id -> cache.invalidate(List.of(id)));
        checks.add(new Erasure.Check("working-set", "erased cubes dropped from the in-memory working set",
                cached.isEmpty() ? "none held" : cached.size() + " were still held and are dropped now", cached.isEmpty()));

        List<byte[]> wanted = probes.of(erasure.id());
        if (wanted == null) {
            checks.add(new Erasure.Check("files", reclaimed,
                    "not scanned: the probes taken from the texts live in memory only and were lost in a restart,"
                    + " or no text was long enough to probe", true));
        } else {
            FileScan.Result found = files.scan(wanted);
            if (!found.clean()) {
                // a probe may also be part of a text that was not erased (the same note in another cube)
                List<Integer> hit = List.copyOf(found.found());
                List<String> fragments = hit.stream()
                        .map(i -> new String(wanted.get(i), java.nio.charset.StandardCharsets.UTF_8)).toList();
                java.util.Set<String> kept = transactions.inTransaction(() -> store.heldElsewhere(fragments));
                java.util.Set<Integer> explained = new java.util.HashSet<>();
                for (int i = 0; i < hit.size(); i++) {
                    if (kept.contains(fragments.get(i))) {
                        explained.add(hit.get(i));
                    }
                }
                found = found.without(explained);
            }
            checks.add(new Erasure.Check("files", reclaimed, found.summary(), found.clean()));
        }
        return checks;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(10_000);
        }
    }
}
