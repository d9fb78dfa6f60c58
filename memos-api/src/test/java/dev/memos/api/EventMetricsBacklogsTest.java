package dev.memos.api;

import dev.memos.kernel.spi.OutboxQueue;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EventMetricsBacklogsTest {
    private static final long MS = 1_000_000L;

    private final AtomicLong clock = new AtomicLong(1_000_000 * MS);
    private final AtomicInteger counts = new AtomicInteger();

    /** A count of the outbox that takes {@code tookMs} of the fake clock and answers how often it was asked. */
    private EventMetrics.Backlogs backlogs(long tookMs) {
        return new EventMetrics.Backlogs(() -> {
            clock.addAndGet(tookMs * MS);
            return new OutboxQueue.Backlog(counts.incrementAndGet(), Instant.EPOCH);
        }, clock::get);
    }

    private long after(long ms, EventMetrics.Backlogs backlogs) {
        clock.addAndGet(ms * MS);
        return backlogs.get().events();
    }

    @Test
    void a_quick_count_is_asked_again_after_a_second() {
        EventMetrics.Backlogs backlogs = backlogs(5);
        assertEquals(1, after(0, backlogs));
        assertEquals(1, after(0, backlogs), "the second gauge of the same scrape shares the answer");
        assertEquals(1, after(900, backlogs));
        assertEquals(2, after(200, backlogs));
        assertEquals(3, after(1_100, backlogs));
    }

    @Test
    void a_slow_count_is_kept_ten_times_as_long_as_it_took() {
        EventMetrics.Backlogs backlogs = backlogs(400);
        assertEquals(1, after(0, backlogs));
        assertEquals(1, after(1_000, backlogs), "a scrape a second later is answered from the last count");
        assertEquals(1, after(2_900, backlogs));
        assertEquals(2, after(200, backlogs), "4.1 s after a count of 0.4 s ended, counted again");
        assertEquals(2, counts.get());
    }
}
