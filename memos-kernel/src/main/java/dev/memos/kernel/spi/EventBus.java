package dev.memos.kernel.spi;

import dev.memos.kernel.event.KernelEvent;

import java.util.function.Consumer;

/**
 * Carries committed events to consumers, at least once, in order per space. Implemented in
 * process and on Kafka by the event-bus issue.
 */
public interface EventBus {
    void publish(KernelEvent event);

    /** Registers a consumer under a group name; members of one group share the work. */
    void subscribe(String group, Consumer<KernelEvent> consumer);
}
