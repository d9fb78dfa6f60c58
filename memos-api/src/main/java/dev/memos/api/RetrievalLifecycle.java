package dev.memos.api;

import dev.memos.cubes.search.lucene.LuceneSearchIndex;
import dev.memos.scheduler.bus.InProcessEventBus;
import dev.memos.scheduler.index.Reindexer;
import dev.memos.scheduler.index.SearchIndexer;
import dev.memos.scheduler.relay.OutboxRelay;
import dev.memos.scheduler.usage.UsageRecorder;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Starts the derived-index machinery after the database is migrated: rebuilds an empty (or
 * mismatched) index from the database, then starts the outbox relay, which also delivers whatever
 * was committed but not indexed before the last stop or crash.
 */
@Singleton
public class RetrievalLifecycle {
    private static final Logger LOG = Logger.getLogger(RetrievalLifecycle.class);

    void onStart(@Observes @Priority(200) StartupEvent start, LuceneSearchIndex index, Reindexer reindexer,
                 InProcessEventBus bus, SearchIndexer indexer, OutboxRelay relay, UsageRecorder usage,
                 MemosConfig config) {
        if (index.startedEmpty() || config.search().rebuildOnStart()) {
            long t0 = System.nanoTime();
            long done = reindexer.rebuild(n -> {
                if (n > 0 && n % 1_000 == 0) {
                    LOG.infof("rebuilding the search index: %d cubes", n);
                }
            });
            if (done > 0) {
                LOG.infof("rebuilt the search index from the database: %d cubes in %d ms", done,
                        (System.nanoTime() - t0) / 1_000_000);
            }
        }
        bus.subscribe(SearchIndexer.GROUP, indexer);
        relay.start();
        usage.start(config.usage().flushInterval());
    }

    void onStop(@Observes ShutdownEvent stop, OutboxRelay relay, UsageRecorder usage) throws InterruptedException {
        relay.close();
        usage.close();
    }
}
