package dev.memos.scheduler.index;

import dev.memos.kernel.spi.IndexProgress;
import dev.memos.scheduler.Await;
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
        nudge.run();
        return Await.until(() -> !transactions.inTransaction(() -> outbox.pendingUpTo(spaces, target)), timeout);
    }
}
