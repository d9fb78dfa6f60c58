package dev.memos.kernel.spi;

import dev.memos.kernel.audit.AuditEntry;

import java.time.Instant;
import java.util.List;

/**
 * The append-only audit trail. {@link #append} runs in the caller's transaction, so an entry commits or rolls back
 * with what it records; appends are serialised (each entry names the hash of the one before).
 */
public interface AuditLog {

    /** The head of the trail: where the kept entries start (after retention) and where they end. */
    record Head(long firstSeq, String anchor, long lastSeq, String lastHash) {
    }

    void append(Instant at, String actor, String action, String space, String target, String detail);

    /** Entries after {@code afterSeq} in order, of one space (or all when null); at most {@code limit}. */
    List<AuditEntry> entries(String space, long afterSeq, int limit);

    Head head();

    /** Removes the entries recorded before {@code before}; the first entry kept becomes the anchor. Returns how many. */
    int prune(Instant before);
}
