package dev.memos.scheduler.index;

import dev.memos.kernel.spi.IndexProgress;
import dev.memos.scheduler.bus.KafkaEventBus;

import java.time.Duration;
import java.util.Collection;

/**
 * Read-your-writes when events travel through Kafka: first every event of the spaces committed before the
 * call must be on the broker (the outbox has published it), then this instance's indexer must have applied
 * the spaces' partitions up to where they ended at that moment. When every instance shares one index (a search
 * cluster fed by one consumer group), the group's progress counts, whichever instance made it.
 */
public final class KafkaIndexProgress implements IndexProgress {
    private final IndexProgress published;
    private final KafkaEventBus bus;
    private final String indexerGroup;
    private final boolean shared;

    /** @param shared whether the instances share one index, fed by {@code indexerGroup} as one consumer group */
    public KafkaIndexProgress(IndexProgress published, KafkaEventBus bus, String indexerGroup, boolean shared) {
        this.published = published;
        this.bus = bus;
        this.indexerGroup = indexerGroup;
        this.shared = shared;
    }

    @Override
    public boolean awaitIndexed(Collection<String> spaces, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!published.awaitIndexed(spaces, timeout)) {
            return false;
        }
        Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        return shared ? bus.awaitGroupApplied(indexerGroup, spaces, left) : bus.awaitApplied(indexerGroup, spaces, left);
    }
}
