package dev.memos.scheduler.index;

import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.query.Page;
import dev.memos.kernel.spi.SearchIndex;
import dev.memos.kernel.spi.SystemCubeStore;
import dev.memos.kernel.spi.Transactions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Rebuilds the search index from the database, and compares the two. */
public final class Reindexer {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(Reindexer.class);
    private static final int PAGE = 256;
    private final SystemCubeStore cubes;
    private final SearchIndex index;
    private final SearchIndexer indexer;
    private final Transactions transactions;

    public Reindexer(SystemCubeStore cubes, SearchIndex index, SearchIndexer indexer, Transactions transactions) {
        this.cubes = cubes;
        this.index = index;
        this.indexer = indexer;
        this.transactions = transactions;
    }

    /** What a consistency check found. */
    public record Report(long cubes, long indexed, List<String> missing, List<String> stale, List<String> orphaned) {
        public boolean consistent() {
            return missing.isEmpty() && stale.isEmpty() && orphaned.isEmpty();
        }
    }

    /** {@link #rebuild(Consumer)} reporting progress to the log every 1,000 cubes and the total at the end. */
    public long rebuildLoggingProgress() {
        long t0 = System.nanoTime();
        long done = rebuild(n -> {
            if (n > 0 && n % 1_000 == 0) {
                LOG.infof("rebuilding the search index: %d cubes", n);
            }
        });
        LOG.infof("rebuilt the search index from the database: %d cubes in %d ms", done, (System.nanoTime() - t0) / 1_000_000);
        return done;
    }

    /** Empties the index and indexes every searchable cube; {@code progress} hears the running count. */
    public long rebuild(Consumer<Long> progress) {
        index.clear();
        long[] done = {0};
        forEachPage(PAGE, page -> {
            List<MemCube> searchable = page.stream().filter(SearchIndexer::searchable).toList();
            indexer.index(searchable);
            done[0] += searchable.size();
            progress.accept(done[0]);
        });
        index.commit();
        return done[0];
    }

    /** Compares searchable cubes in the database with the index; lists at most 100 ids per kind. */
    public Report check() {
        Map<CubeId, Integer> indexed = new HashMap<>(index.indexedVersions());
        int indexedCount = indexed.size();
        List<String> missing = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        long[] total = {0};
        forEachPage(1_000, page -> {
            for (MemCube cube : page) {
                if (!SearchIndexer.searchable(cube)) {
                    continue;
                }
                total[0]++;
                Integer version = indexed.remove(cube.id());
                if (version == null) {
                    add(missing, cube.id());
                } else if (version != cube.version()) {
                    add(stale, cube.id());
                }
            }
        });
        List<String> orphaned = new ArrayList<>();
        indexed.keySet().forEach(id -> add(orphaned, id));
        return new Report(total[0], indexedCount, missing, stale, orphaned);
    }

    /** Every cube's live version, page by page in id order, each page read in its own transaction. */
    private void forEachPage(int size, Consumer<List<MemCube>> action) {
        CubeId after = null;
        do {
            CubeId from = after;
            Page<MemCube> page = transactions.inTransaction(() -> cubes.scanForSystem(from, size));
            action.accept(page.items());
            after = page.nextCursor() == null ? null : CubeId.parse(page.nextCursor());
        } while (after != null);
    }

    private static void add(List<String> list, CubeId id) {
        if (list.size() < 100) {
            list.add(id.toString());
        }
    }
}
