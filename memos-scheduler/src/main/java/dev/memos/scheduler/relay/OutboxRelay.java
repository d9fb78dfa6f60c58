package dev.memos.scheduler.relay;

import dev.memos.kernel.spi.EventBus;
import dev.memos.kernel.spi.OutboxQueue;
import dev.memos.kernel.spi.Transactions;
import dev.memos.scheduler.Await;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Publishes committed outbox events to the bus, oldest first, and marks them published only after
 * the bus took them: a crash in between means they are published again (at least once), and a
 * crash between a write's commit and its publication heals when the relay starts again. The relays of
 * several instances on one database take turns ({@link OutboxQueue#claimPublishing}), so otherwise each event
 * is published once.
 */
public final class OutboxRelay implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final OutboxQueue outbox;
    private final EventBus bus;
    private final Transactions transactions;
    private final Clock clock;
    private final int batch;
    private final Duration idle;
    private final boolean shared;
    private final Object wake = new Object();
    private volatile boolean running;
    private Thread thread;
    private static final long WINDOW = 10_000;
    private static final long LAG = 10_000;
    private static final long SWEEP_EVERY_MS = 60_000;
    /** The newest position published so far (this process). */
    private long published;
    /** When the next sweep from the start is due (at start: now). */
    private long nextSweep;

    /**
     * {@code shared}: other instances' relays read this outbox too (a bus outside the process, e.g. Kafka); then each
     * batch is claimed, read, published and marked in one transaction. Otherwise (the in-process bus, which runs the
     * consumers on the publishing thread) the batch is published between two transactions, so the consumers commit
     * on their own, before the marks.
     */
    public OutboxRelay(OutboxQueue outbox, EventBus bus, Transactions transactions, Clock clock, int batch, Duration idle,
                       boolean shared) {
        this.shared = shared;
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.bus = Objects.requireNonNull(bus, "bus");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.batch = batch;
        this.idle = idle;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().name("memos-outbox-relay").daemon().start(this::loop);
    }

    /** Asks the relay to look for new events now rather than after its idle pause. */
    public void nudge() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    /**
     * Publishes one batch; returns how many events it published. Public so tests drive it by hand.
     *
     * <p>It reads the outbox in windows of {@value #WINDOW} positions, starting {@value #LAG} positions before
     * the newest event it published (a transaction that took its position earlier may commit later), so a batch
     * never sorts the whole backlog. Once a minute (and at start) a batch starts from the beginning instead, window
     * by window, so a straggler older than that is published too.
     */
    public int publishBatch() {
        boolean sweep = clock.millis() >= nextSweep;
        if (sweep) {
            nextSweep = clock.millis() + SWEEP_EVERY_MS;
        }
        long from = sweep ? 0 : Math.max(0, published - LAG);
        // shared: one transaction from the claim to the marks; another instance's relay waits at its claim meanwhile
        // and then reads these events as published
        List<OutboxQueue.Pending> found;
        if (shared) {
            found = transactions.inTransaction(() -> {
                outbox.claimPublishing();
                List<OutboxQueue.Pending> pending = pendingFrom(from, sweep);
                if (!pending.isEmpty()) {
                    publish(pending);
                    mark(pending);
                }
                return pending;
            });
        } else {
            found = transactions.inTransaction(() -> pendingFrom(from, sweep));
            if (!found.isEmpty()) {
                publish(found);
                transactions.inTransaction(() -> {
                    mark(found);
                    return null;
                });
            }
        }
        if (!found.isEmpty()) {
            published = Math.max(published, found.getLast().seq());
        }
        return found.size();
    }

    private void publish(List<OutboxQueue.Pending> pending) {
        bus.publish(pending.stream().map(OutboxQueue.Pending::event).toList());
    }

    private void mark(List<OutboxQueue.Pending> pending) {
        outbox.markPublished(pending.stream().map(OutboxQueue.Pending::seq).toList(), clock.instant());
    }

    /** The first window from {@code from} on that holds unpublished events, up to a batch of them. */
    private List<OutboxQueue.Pending> pendingFrom(long from, boolean sweep) {
        long last = -1;
        while (true) {
            List<OutboxQueue.Pending> pending = outbox.pending(from, from + WINDOW, batch);
            if (!pending.isEmpty()) {
                return pending;
            }
            if (last < 0) {
                last = outbox.lastSeq();
            }
            if (from + WINDOW >= last) {
                if (sweep) {
                    // nothing waits up to the newest position: later batches start near it (after a restart
                    // they would otherwise walk every window from the start at each idle pause)
                    published = Math.max(published, last);
                }
                return List.of();
            }
            from += WINDOW;
        }
    }

    private void loop() {
        long backoff = 0;
        while (running) {
            try {
                if (publishBatch() == 0) {
                    pause(idle.toMillis());
                }
                backoff = 0;
            } catch (RuntimeException e) {
                backoff = Await.nextBackoffMillis(backoff);
                LOG.warnf(e, "publishing outbox events failed; retrying in %d ms", backoff);
                pause(backoff);
            }
        }
    }

    private void pause(long millis) {
        synchronized (wake) {
            try {
                wake.wait(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    @Override
    public synchronized void close() throws InterruptedException {
        running = false;
        nudge();
        if (thread != null) {
            thread.join(10_000);
        }
    }
}
