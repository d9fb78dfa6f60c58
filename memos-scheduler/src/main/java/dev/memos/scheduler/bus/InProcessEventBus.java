package dev.memos.scheduler.bus;

import dev.memos.kernel.event.KernelEvent;
import dev.memos.kernel.spi.EventBus;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The embedded event bus: delivers each batch to every group's consumer on the publishing thread.
 * A consumer's exception reaches the publisher, which then publishes the batch again: at least once.
 * One process, so one member per group.
 */
public final class InProcessEventBus implements EventBus {
    private final Map<String, Consumer<List<KernelEvent>>> groups = new ConcurrentHashMap<>();

    @Override
    public void publish(List<KernelEvent> events) {
        groups.values().forEach(consumer -> consumer.accept(events));
    }

    @Override
    public void subscribe(String group, Consumer<List<KernelEvent>> consumer) {
        if (groups.putIfAbsent(group, consumer) != null) {
            throw new IllegalStateException("group " + group + " already has a consumer in this process");
        }
    }
}
