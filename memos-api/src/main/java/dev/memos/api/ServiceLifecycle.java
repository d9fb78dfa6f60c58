package dev.memos.api;

import dev.memos.kernel.spi.EventBus;
import dev.memos.kernel.spi.SearchIndex;
import dev.memos.scheduler.index.Reindexer;
import dev.memos.scheduler.index.SearchIndexer;
import dev.memos.scheduler.lineage.LineageRecorder;
import dev.memos.scheduler.policy.KafkaLease;
import dev.memos.scheduler.policy.Lease;
import dev.memos.scheduler.policy.LifecyclePolicies;
import dev.memos.scheduler.policy.WorkingSet;
import dev.memos.scheduler.relay.OutboxRelay;
import dev.memos.scheduler.usage.UsageRecorder;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Starts the service's background work once the database is migrated: rebuilds an empty (or mismatched) index
 * from the database; subscribes the search indexer, the lineage recorder, the key cache and the working set to the
 * bus; starts the outbox relay (which also delivers whatever was committed but not published before the last stop
 * or crash), the embedding of context windows, usage batching, Kafka ingestion when it is on, the scheduler's lease
 * and policies, the eraser, and the daily pruning of the audit trail.
 */
@Singleton
public class ServiceLifecycle {
    void onStart(@Observes @Priority(200) StartupEvent start, SearchIndex index, Reindexer reindexer,
                 EventBus bus, BusProducer.Instance instance, SearchIndexer indexer, OutboxRelay relay,
                 UsageRecorder usage, IngestionProducer.Ingestion ingestion, LifecyclePolicies policies,
                 WorkingSet workingSet, LineageRecorder lineage, Lease lease, dev.memos.scheduler.erasure.Eraser eraser,
                 dev.memos.kernel.Audit audit, MemosConfig config, dev.memos.api.auth.Authenticator authenticator,
                 dev.memos.scheduler.index.WindowEmbedding windowEmbedding) {
        if (index.startedEmpty() || config.search().rebuildOnStart()) {
            reindexer.rebuildLoggingProgress();
        }
        bus.subscribe(instance.indexerGroup(), indexer);
        bus.subscribe(LineageRecorder.GROUP, lineage);
        bus.subscribe(instance.ownGroup(dev.memos.api.auth.Authenticator.GROUP), authenticator);
        if (config.scheduler().workingSet().enabled()) {
            bus.subscribe(instance.ownGroup(WorkingSet.GROUP), workingSet);
        }
        relay.start();
        if (config.search().context().embedWindows()) {
            windowEmbedding.start();
        }
        usage.start(config.usage().flushInterval());
        if (ingestion.consumer() != null) {
            ingestion.consumer().start();
        }
        if (lease instanceof KafkaLease kafka) {
            kafka.start();
        }
        policies.start();
        eraser.start();
        auditRetention = Thread.ofPlatform().name("memos-audit-retention").daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    int removed = audit.prune(config.audit().retention());
                    if (removed > 0) {
                        org.jboss.logging.Logger.getLogger(ServiceLifecycle.class).infof(
                                "removed %d audit entries older than %s", removed, config.audit().retention());
                    }
                    Thread.sleep(java.time.Duration.ofDays(1));
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    org.jboss.logging.Logger.getLogger(ServiceLifecycle.class).warn("pruning the audit trail failed", e);
                    try {
                        Thread.sleep(java.time.Duration.ofHours(1));
                    } catch (InterruptedException stop) {
                        return;
                    }
                }
            }
        });
    }

    private Thread auditRetention;

    void onStop(@Observes ShutdownEvent stop, OutboxRelay relay, UsageRecorder usage, IngestionProducer.Ingestion ingestion,
                LifecyclePolicies policies, dev.memos.scheduler.erasure.Eraser eraser,
                dev.memos.scheduler.index.WindowEmbedding windowEmbedding) throws InterruptedException {
        eraser.close();
        windowEmbedding.close();
        if (auditRetention != null) {
            auditRetention.interrupt();
        }
        policies.close();
        if (ingestion.consumer() != null) {
            ingestion.consumer().close();
        }
        relay.close();
        usage.close();
    }
}
