package dev.memos.scheduler.index;

import dev.memos.kernel.spi.IndexProgress;
import dev.memos.kernel.spi.OutboxQueue;
import dev.memos.kernel.spi.Transactions;

import java.time.Duration;
import java.util.Collection;

/**
 * Read-your-writes for search on the embedded bus: the relay marks an event published only after the indexer has
 * applied and committed it, so once no event of the spaces up to the newest one at call time is
 * unpublished, every earlier write is searchable.
 */
public final class OutboxIndexProgress implements IndexProgress {
    private final OutboxQueue outbox;
    private final Transactions transactions;
    private final Runnable nudge;

    public OutboxIndexProgress(OutboxQueue outbox, Transactions transactions, Runnable nudge) {
        this.outbox = outbox;
        this.transactions = transactions;
        this.nudge = nudge;
    }

    @Override
    public boolean awaitIndexed(Collection<String> spaces, Duration timeout) {
        long target = transactions.inTransaction(() -> outbox.lastSeq(spaces));
        long deadline = System.nanoTime() + timeout.toNanos();
        nudge.run();
        while (transactions.inTransaction(() -> outbox.pendingUpTo(spaces, target))) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
