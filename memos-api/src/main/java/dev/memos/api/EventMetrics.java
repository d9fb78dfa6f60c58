package dev.memos.api;

import dev.memos.kernel.spi.EventBus;
import dev.memos.kernel.spi.OutboxQueue;
import dev.memos.scheduler.bus.KafkaEventBus;
import dev.memos.scheduler.ingest.IngestConsumer;
import dev.memos.scheduler.lineage.LineageRecorder;
import dev.memos.scheduler.policy.LifecyclePolicies;
import dev.memos.scheduler.policy.WorkingSet;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Exposes progress at {@code /q/metrics} (Prometheus): the working set (size, hits, misses), ingestion
 * (records processed, cubes created, dead-lettered and retried records, the consumer's lag), the changes
 * waiting for the search indexer and their age, the cubes it set aside, and the indexer's lag on the Kafka bus.
 */
@Singleton
public class EventMetrics {
    void register(@Observes StartupEvent start, MeterRegistry registry, IngestionProducer.Ingestion ingestion, EventBus bus,
                  BusProducer.Instance instance, WorkingSet workingSet, LifecyclePolicies policies,
                  dev.memos.cubes.store.sql.SqlOutbox outbox, dev.memos.cubes.store.sql.JtaTransactions tx,
                  java.time.Clock clock, dev.memos.scheduler.index.SearchIndexer indexer) {
        Gauge.builder("memos.index.set.aside", indexer, dev.memos.scheduler.index.SearchIndexer::setAsideCount)
                .description("cubes set aside by the search indexer because the embedder refused their text (indexed"
                        + " for keywords only; GET /v1/admin/index/set-aside)").register(registry);
        Gauge.builder("memos.index.windows.pending", indexer, i -> i.pendingWindows(null))
                .description("context windows searched with a stand-in vector until the indexer, when idle, embeds"
                        + " their text (memos.search.context.embed-windows)").register(registry);
        Backlogs backlogs = new Backlogs(() -> tx.inTransaction(() -> outbox.backlog(null)));
        // strongly: a gauge holds its object weakly, and nothing else holds this one
        Gauge.builder("memos.index.pending.events", backlogs, b -> b.get().events()).strongReference(true)
                .description("changes of all spaces not yet handed to the search indexer (on the embedded bus: not yet"
                        + " searchable)").register(registry);
        Gauge.builder("memos.index.lag.seconds", backlogs, b -> {
            java.time.Instant oldest = b.get().oldest();
            return oldest == null ? 0 : Math.max(0, java.time.Duration.between(oldest, clock.instant()).toMillis() / 1000.0);
        }).strongReference(true).description("age of the oldest change not yet handed to the search indexer").register(registry);
        Gauge.builder("memos.scheduler.leader", policies, p -> p.leading() ? 1 : 0)
                .description("1 while this instance runs the lifecycle policies (holds the scheduler lease)")
                .register(registry);
        Gauge.builder("memos.scheduler.last.run.millis", policies, LifecyclePolicies::lastRunMillis)
                .description("how long the last run of the lifecycle policies took").register(registry);
        Gauge.builder("memos.working.set.cubes", workingSet, w -> w.stats().cubes())
                .description("cubes held in the working sets of all spaces").register(registry);
        FunctionCounter.builder("memos.working.set.hits", workingSet, w -> w.stats().hits())
                .description("reads served from the working set").register(registry);
        FunctionCounter.builder("memos.working.set.misses", workingSet, w -> w.stats().misses())
                .description("reads that went to the store").register(registry);
        IngestConsumer consumer = ingestion.consumer();
        if (consumer != null) {
            FunctionCounter.builder("memos.ingest.records.processed", consumer, c -> c.stats().processed())
                    .description("ingest records handled (written or dead-lettered)").register(registry);
            FunctionCounter.builder("memos.ingest.cubes.created", consumer, c -> c.stats().cubes())
                    .description("cubes created by ingestion").register(registry);
            FunctionCounter.builder("memos.ingest.records.dead.lettered", consumer, c -> c.stats().deadLettered())
                    .description("records sent to the dead-letter topic").register(registry);
            FunctionCounter.builder("memos.ingest.records.failed", consumer, c -> c.stats().retried())
                    .description("transient failures; the record was retried").register(registry);
            Gauge.builder("memos.ingest.consumer.lag", consumer, IngestConsumer::backlog)
                    .description("records on the ingest topic the ingest group has yet to handle, from its committed"
                            + " offsets on every partition (also while a rebalance assigns this instance none); NaN when"
                            + " the broker cannot be asked").register(registry);
            Gauge.builder("memos.ingest.assigned.partitions", consumer, IngestConsumer::assignedPartitions)
                    .description("partitions of the ingest topic this instance consumes (its share of the group)")
                    .register(registry);
        }
        if (bus instanceof KafkaEventBus kafka) {
            FunctionCounter.builder("memos.bus.events.unreadable", kafka, KafkaEventBus::unreadable)
                    .description("records on the bus no consumer could read as an event: skipped, each logged with its"
                            + " offset").register(registry);
            Gauge.builder("memos.bus.indexer.lag", kafka, k -> k.backlog(instance.indexerGroup()))
                    .description("events on the bus this instance's search indexer has yet to apply, from its group's"
                            + " committed offsets on every partition (also before its consumer has joined); NaN when the"
                            + " broker cannot be asked").register(registry);
            Gauge.builder("memos.bus.lineage.lag", kafka, k -> k.backlog(LineageRecorder.GROUP))
                    .description("events on the bus the lineage recorder (one group for every instance) has yet to"
                            + " write into the lineage store, from the group's committed offsets; grows while Neo4j is"
                            + " away; NaN when the broker cannot be asked").register(registry);
        }
    }

    /**
     * The outbox's backlog, asked at most once a second, so that the two gauges of one scrape share one answer; and
     * an answer that took long is kept ten times as long as it took. Counting walks every unpublished row (~0.07 s of
     * CPU at 100,000 of them): a backlog of millions, scraped every second, would otherwise keep a core busy counting
     * while the relay tries to catch up. So counting takes at most about a tenth of one core.
     */
    static final class Backlogs {
        private static final long AT_LEAST_NANOS = 1_000_000_000L;
        private static final int TIMES_THE_COUNT = 10;

        private final java.util.function.Supplier<OutboxQueue.Backlog> ask;
        private final java.util.function.LongSupplier nanoTime;
        private OutboxQueue.Backlog last;
        private long askedAt;
        private long keptFor;

        Backlogs(java.util.function.Supplier<OutboxQueue.Backlog> ask) {
            this(ask, System::nanoTime);
        }

        Backlogs(java.util.function.Supplier<OutboxQueue.Backlog> ask, java.util.function.LongSupplier nanoTime) {
            this.ask = ask;
            this.nanoTime = nanoTime;
        }

        synchronized OutboxQueue.Backlog get() {
            long now = nanoTime.getAsLong();
            if (last == null || now - askedAt > keptFor) {
                last = ask.get();
                askedAt = nanoTime.getAsLong();
                keptFor = Math.max(AT_LEAST_NANOS, TIMES_THE_COUNT * (askedAt - now));
            }
            return last;
        }
    }
}
