package dev.memos.kernel.spi;

import dev.memos.kernel.event.KernelEvent;

/**
 * The transactional outbox: an event appended here commits or rolls back with the change it
 * describes. A relay publishes committed events to the bus afterwards.
 */
public interface Outbox {
    void append(KernelEvent event);

    /**
     * Drops the free text (the {@value dev.memos.kernel.event.KernelEvent#REASON} a caller gave) from every event
     * about a deleted cube; what the events say about structure (states, sources, operations) stays.
     */
    void scrub(dev.memos.kernel.model.CubeId cube);

    /** Removes every event about a deleted space except its {@code space.deleted} event. */
    void forgetSpace(String space);
}
