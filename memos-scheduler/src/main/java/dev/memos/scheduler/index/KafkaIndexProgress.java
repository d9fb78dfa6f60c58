package dev.memos.scheduler.index;

import dev.memos.kernel.spi.IndexProgress;
import dev.memos.scheduler.bus.KafkaEventBus;

import java.time.Duration;
import java.util.Collection;

/**
 * Read-your-writes when events travel through Kafka: first every event of the spaces committed before the
 * call must be on the broker (the outbox has published it), then this instance's indexer must have applied
 * the spaces' partitions up to where they ended at that moment.
 */
public final class KafkaIndexProgress implements IndexProgress {
    private final IndexProgress published;
    private final KafkaEventBus bus;
    private final String indexerGroup;

    public KafkaIndexProgress(IndexProgress published, KafkaEventBus bus, String indexerGroup) {
        this.published = published;
        this.bus = bus;
        this.indexerGroup = indexerGroup;
    }

    @Override
    public boolean awaitIndexed(Collection<String> spaces, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!published.awaitIndexed(spaces, timeout)) {
            return false;
        }
        return bus.awaitApplied(indexerGroup, spaces, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
}
