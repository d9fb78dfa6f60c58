package dev.memos.scheduler.lineage;

import dev.memos.kernel.spi.LineageStore;
import dev.memos.kernel.spi.OutboxQueue;
import dev.memos.kernel.spi.Transactions;

import java.util.List;
import java.util.function.LongConsumer;

/**
 * Rebuilds the lineage graph from the database: empties the store, then replays every committed event
 * of the outbox (the kernel's event log) through the recorder, oldest first. The result equals what
 * recording the events as they happened produced, event ids included.
 */
public final class Relineage {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(Relineage.class);
    private static final int PAGE = 1_000;

    private final OutboxQueue log;
    private final LineageStore store;
    private final LineageRecorder recorder;
    private final Transactions transactions;

    public Relineage(OutboxQueue log, LineageStore store, LineageRecorder recorder, Transactions transactions) {
        this.log = log;
        this.store = store;
        this.recorder = recorder;
        this.transactions = transactions;
    }

    /** What a rebuild did. */
    public record Report(long events, long tookMs) {
    }

    /** Rebuilds; {@code progress} hears the running count of replayed events after each page. */
    public Report rebuild(LongConsumer progress) {
        long t0 = System.nanoTime();
        transactions.inTransaction(() -> {
            store.clear();
            return null;
        });
        long seq = 0;
        long done = 0;
        while (true) {
            long after = seq;
            List<OutboxQueue.Pending> page = transactions.inTransaction(() -> log.after(after, PAGE));
            if (page.isEmpty()) {
                break;
            }
            recorder.accept(page.stream().map(OutboxQueue.Pending::event).toList());
            seq = page.getLast().seq();
            done += page.size();
            progress.accept(done);
        }
        return new Report(done, (System.nanoTime() - t0) / 1_000_000);
    }

    /** {@link #rebuild} logging progress every 10,000 events and the total. */
    public Report rebuildLoggingProgress() {
        Report report = rebuild(n -> {
            if (n % 10_000 < PAGE) {
                LOG.infof("rebuilding lineage: %d events replayed", n);
            }
        });
        LOG.infof("rebuilt lineage from the database: %d events in %d ms", report.events(), report.tookMs());
        return report;
    }
}
