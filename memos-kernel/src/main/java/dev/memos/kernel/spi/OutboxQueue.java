package dev.memos.kernel.spi;

import dev.memos.kernel.event.KernelEvent;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** The outbox as the relay reads it. Callers run these inside {@link Transactions#inTransaction}. */
public interface OutboxQueue {

    /** A committed event and its position in the outbox. */
    record Pending(long seq, KernelEvent event) {
    }

    /** Committed events after position {@code seq}, published or not, oldest first (replays of the log). */
    List<Pending> after(long seq, int limit);

    /**
     * Committed, unpublished events with {@code after < seq <= upTo}, oldest first. The relay asks for bounded
     * windows: a query over every unpublished row would sort the whole backlog on every batch.
     */
    List<Pending> pending(long after, long upTo, int limit);

    /** The position of the newest committed event, 0 when none. */
    long lastSeq();

    void markPublished(Collection<Long> seqs, Instant at);

    /**
     * Waits until no other relay on this outbox publishes, and keeps the others waiting until the caller's
     * transaction ends: called first in the transaction that reads pending events, publishes them and marks them
     * published, it makes the relays of several instances on one database take turns, so none publishes what
     * another is publishing. A back end only one process uses has nothing to claim.
     */
    void claimPublishing();

    /** The position of the newest committed event of these spaces, 0 when none. */
    long lastSeq(Collection<String> spaces);

    /** Whether any event of these spaces at or before {@code seq} is still unpublished. */
    boolean pendingUpTo(Collection<String> spaces, long seq);

    /**
     * What waits for the relay: how many unpublished events, and when the first of them (in publishing order)
     * occurred (null: none).
     */
    record Backlog(long events, Instant oldest) {
    }

    /** The unpublished events of these spaces, or of every space when {@code spaces} is null. */
    Backlog backlog(Collection<String> spaces);
}
