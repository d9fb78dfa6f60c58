package dev.memos.kernel.spi;

import dev.memos.kernel.event.KernelEvent;

import java.util.List;
import java.util.function.Consumer;

/**
 * Carries committed events to consumers, at least once, in order per space. Batches keep
 * consumers efficient (the indexer embeds a batch at once); a consumer that throws makes the
 * batch be delivered again, so consumers must be idempotent by event id.
 */
public interface EventBus {
    void publish(List<KernelEvent> events);

    /** Registers a consumer under a group name; members of one group share the work. */
    void subscribe(String group, Consumer<List<KernelEvent>> consumer);
}
