package dev.memos.scheduler.index;

import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Embeds the text of pending context windows ({@link SearchIndexer#embedPendingWindows}) while the node is idle (no
 * events indexed and no search for a while): writes are searchable at once with a window's stand-in vector, and its
 * own embedding follows when nothing else waits for the processor. A node that is never idle that long keeps the
 * stand-ins (the metric of pending windows shows it). A few windows at a time, so that a batch of new events waits for at most one round.
 */
public final class WindowEmbedding implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WindowEmbedding.class);
    /** Windows embedded per round (about four turns each). */
    static final int ROUND = 16;
    private static final Duration AFTER_FAILURE = Duration.ofSeconds(5);

    private final SearchIndexer indexer;
    private final Duration idle;
    private final java.util.function.Supplier<Duration> searchesIdleFor;
    private final java.util.function.BooleanSupplier ours;
    private Thread thread;
    private final java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);

    /** Windows embedded whenever the indexer has been idle for {@code idle}. */
    public WindowEmbedding(SearchIndexer indexer, Duration idle) {
        this(indexer, idle, () -> Duration.ofDays(1), () -> true);
    }

    /**
     * @param idle            how long the indexer and the searches must have had nothing to do before windows are
     *                        embedded
     * @param searchesIdleFor how long since the last search
     * @param ours            whether this node embeds the windows now: always for an index of its own; for an index
     *                        the nodes share, only the node holding the scheduler's lease
     */
    public WindowEmbedding(SearchIndexer indexer, Duration idle, java.util.function.Supplier<Duration> searchesIdleFor,
                           java.util.function.BooleanSupplier ours) {
        if (idle.isNegative()) {
            throw new IllegalArgumentException("idle must not be negative, was " + idle);
        }
        this.indexer = indexer;
        this.idle = idle;
        this.searchesIdleFor = searchesIdleFor;
        this.ours = ours;
    }

    private boolean idle() {
        return ours.getAsBoolean() && indexer.idleFor().compareTo(idle) >= 0 && searchesIdleFor.get().compareTo(idle) >= 0;
    }

    public synchronized void start() {
        if (thread == null) {
            thread = Thread.ofPlatform().name("memos-window-embedding").daemon().start(this::run);
        }
    }

    private void run() {
        long tick = Math.max(50, idle.toMillis() / 2);
        boolean failing = false;
        while (stop.getCount() > 0) {
            try {
                if (stop.await(tick, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    return;
                }
                long done = 0;
                while (stop.getCount() > 0 && idle()) {
                    int round = indexer.embedPendingWindows(ROUND);
                    if (round == 0) {
                        break;
                    }
                    done += round;
                }
                if (done > 0) {
                    LOG.debugf("embedded %d context windows; %d pending", done, indexer.pendingWindows(null));
                }
                failing = false;
            } catch (InterruptedException interrupted) {
                return;
            } catch (RuntimeException e) {
                if (!failing) {
                    LOG.warnf("embedding context windows failed (%s); they keep their stand-in vectors and are tried again",
                            e.toString());
                }
                failing = true;
                try {
                    if (stop.await(AFTER_FAILURE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    @Override
    public synchronized void close() throws InterruptedException {
        stop.countDown();
        if (thread != null) {
            thread.join(Duration.ofSeconds(30));
            thread = null;
        }
    }
}
