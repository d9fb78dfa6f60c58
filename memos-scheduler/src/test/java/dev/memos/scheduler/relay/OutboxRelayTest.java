package dev.memos.scheduler.relay;

import dev.memos.kernel.event.EventType;
import dev.memos.kernel.event.KernelEvent;
import dev.memos.kernel.spi.EventBus;
import dev.memos.kernel.spi.OutboxQueue;
import dev.memos.kernel.spi.Transactions;
import dev.memos.kernel.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The relay's windowed reading of the outbox: order, gaps wider than a window, and late committers. */
class OutboxRelayTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final TreeMap<Long, Boolean> outbox = new TreeMap<>(); // seq → published
    private final List<Long> delivered = new ArrayList<>();
    private int windowsRead;
    /** What the relay did, in order, with the bounds of its transactions. */
    private final List<String> steps = new ArrayList<>();

    private final OutboxQueue queue = new OutboxQueue() {
        @Override
        public List<Pending> after(long seq, int limit) {
            return outbox.tailMap(seq, false).keySet().stream().limit(limit).map(s -> pendingAt(s)).toList();
        }

        @Override
        public List<Pending> pending(long after, long upTo, int limit) {
            windowsRead++;
            steps.add("read");
            return outbox.subMap(after, false, upTo, true).entrySet().stream().filter(e -> !e.getValue()).limit(limit)
                    .map(e -> pendingAt(e.getKey())).toList();
        }

        private Pending pendingAt(long seq) {
            return new Pending(seq, new KernelEvent(UUID.randomUUID(), EventType.CUBE_CREATED, "s", null, 0, "a",
                    clock.instant(), Map.of("seq", Long.toString(seq))));
        }

        @Override
        public long lastSeq() {
            return outbox.isEmpty() ? 0 : outbox.lastKey();
        }

        @Override
        public void markPublished(Collection<Long> seqs, Instant at) {
            seqs.forEach(s -> outbox.put(s, true));
            steps.add("mark");
        }

        @Override
        public void claimPublishing() {
            steps.add("claim");
        }

        @Override
        public long lastSeq(Collection<String> spaces) {
            return lastSeq();
        }

        @Override
        public boolean pendingUpTo(Collection<String> spaces, long seq) {
            return outbox.headMap(seq, true).containsValue(false);
        }

        @Override
        public Backlog backlog(Collection<String> spaces) {
            long pending = outbox.values().stream().filter(published -> !published).count();
            return new Backlog(pending, pending == 0 ? null : clock.instant());
        }
    };

    private final OutboxRelay relay = relay(true);

    /** A relay over the fake outbox; {@code shared}: as on Kafka, where other instances relay the same outbox. */
    private OutboxRelay relay(boolean shared) {
        return new OutboxRelay(queue, new EventBus() {
            @Override
            public void publish(List<KernelEvent> events) {
                events.forEach(e -> delivered.add(Long.parseLong(e.data().get("seq"))));
                steps.add("publish");
            }

            @Override
            public void subscribe(String group, Consumer<List<KernelEvent>> consumer) {
            }
        }, new Transactions() {
            @Override
            public <T> T inTransaction(Supplier<T> work) {
                steps.add("begin");
                T result = work.get();
                steps.add("commit");
                return result;
            }
        }, clock, 100, Duration.ofMillis(50), shared);
    }

    private void drain() {
        while (relay.publishBatch() > 0) {
            // until nothing is left in reach
        }
    }

    @Test
    void a_batch_is_claimed_read_published_and_marked_in_one_transaction() {
        outbox.put(1L, false);
        outbox.put(2L, false);
        assertEquals(2, relay.publishBatch());
        assertEquals(List.of("begin", "claim", "read", "publish", "mark", "commit"), steps);
        steps.clear();
        assertEquals(0, relay.publishBatch());
        assertEquals(List.of("begin", "claim", "read", "commit"), steps);
    }

    @Test
    void alone_on_its_outbox_a_relay_publishes_between_transactions_without_a_claim() {
        // the in-process bus runs the consumers on the relay's thread: they must commit on their own
        OutboxRelay alone = relay(false);
        outbox.put(1L, false);
        assertEquals(1, alone.publishBatch());
        assertEquals(List.of("begin", "read", "commit", "publish", "begin", "mark", "commit"), steps);
    }

    @Test
    void publishes_in_order_across_gaps_wider_than_awindow() {
        List<Long> seqs = new ArrayList<>();
        for (long s = 1; s <= 250; s++) {
            seqs.add(s);
        }
        seqs.addAll(List.of(25_000L, 25_001L, 90_000L));
        seqs.forEach(s -> outbox.put(s, false));
        drain();
        assertEquals(seqs, delivered);
    }

    @Test
    void an_event_committed_late_is_published_by_the_lag_or_the_sweep() {
        for (long s = 1; s <= 30_000; s += 10) {
            outbox.put(s, false);
        }
        drain();
        assertEquals(3_000, delivered.size());
        delivered.clear();
        outbox.put(29_995L, false); // within the lag window of the newest published event
        outbox.put(5L, false);      // far behind it
        drain();
        assertEquals(List.of(29_995L), delivered);
        clock.advance(Duration.ofSeconds(61));
        drain();
        assertEquals(List.of(29_995L, 5L), delivered);
    }

    @Test
    void after_arestart_on_apublished_outbox_idle_batches_read_only_near_the_newest_event() {
        for (long s = 1; s <= 1_000_000; s += 100) {
            outbox.put(s, true); // published by an earlier process
        }
        assertEquals(0, relay.publishBatch()); // the sweep at start: every window once
        assertTrue(windowsRead >= 100, "the sweep reads the whole outbox, read " + windowsRead);
        windowsRead = 0;
        assertEquals(0, relay.publishBatch());
        assertTrue(windowsRead <= 2, "an idle batch reads the windows near the newest event, read " + windowsRead);
        outbox.put(1_000_050L, false);
        assertEquals(1, relay.publishBatch());
        assertEquals(List.of(1_000_050L), delivered);
    }
}
