package dev.memos.kernel.spi;

import dev.memos.kernel.event.KernelEvent;

/**
 * The transactional outbox: an event appended here commits or rolls back with the change it
 * describes. A relay publishes committed events to the bus afterwards.
 */
public interface Outbox {
    void append(KernelEvent event);
}
