package dev.memos.kernel;

import dev.memos.kernel.access.Principal;
import dev.memos.kernel.audit.AuditChain;
import dev.memos.kernel.audit.AuditEntry;
import dev.memos.kernel.error.ForbiddenException;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.spi.AuditLog;
import dev.memos.kernel.spi.CubeStore;
import dev.memos.kernel.spi.DirectoryStore;
import dev.memos.kernel.spi.Transactions;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The audit trail: who created or revoked keys and grants, erased, exported or imported, ran administrative
 * operations, and read cubes labelled sensitive. Entries are written in the transaction of what they record
 * ({@link #record}); administrators read everything, administrators of a space its entries; {@link #verify}
 * walks the hash chain.
 */
public final class Audit {
    /** An audit that records nothing: for kernels built without one (tests of other things). */
    static final AuditLog NONE = new AuditLog() {
        @Override
        public void append(java.time.Instant at, String actor, String action, String space, String target,
                           String detail) {
        }

        @Override
        public List<AuditEntry> entries(String space, long afterSeq, int limit) {
            return List.of();
        }

        @Override
        public Head head() {
            return new Head(1, AuditEntry.GENESIS, 0, AuditEntry.GENESIS);
        }

        @Override
        public int prune(java.time.Instant before) {
            return 0;
        }
    };

    private final AuditLog log;
    private final Transactions transactions;
    private final Clock clock;
    private final Guard guard;

    public Audit(AuditLog log, DirectoryStore directory, CubeStore cubes, Transactions transactions, Clock clock) {
        this.log = Objects.requireNonNull(log, "log");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.guard = new Guard(directory, cubes);
    }

    /** Records an action in the caller's transaction (or a transaction of its own). */
    public void record(Principal actor, String action, String space, String target, String detail) {
        transactions.inTransaction(() -> {
            log.append(clock.instant(), actor.id(), action, space, target, detail);
            return null;
        });
    }

    /** Entries after {@code afterSeq}: every one for administrators, a space's for its administrators. */
    public List<AuditEntry> entries(Principal actor, String space, long afterSeq, int limit) {
        if (limit < 1 || limit > 1_000) {
            throw new InvalidException("limit", "must be 1 … 1000; got " + limit);
        }
        return transactions.inTransaction(() -> {
            guard.administers(actor, space, "audit entries");
            return log.entries(space, afterSeq, limit);
        });
    }

    /** The outcome of checking the whole trail. */
    public record Verification(boolean intact, long checked, AuditLog.Head head, String problem) {
    }

    /** Walks every kept entry and checks the chain (administrators). */
    public Verification verify(Principal actor) {
        if (!actor.admin()) {
            throw new ForbiddenException("verifying the audit trail is for administrators");
        }
        AuditLog.Head head = transactions.inTransaction(log::head);
        AuditChain chain = new AuditChain(head.anchor(), head.firstSeq());
        long after = head.firstSeq() - 1;
        while (true) {
            long from = after;
            List<AuditEntry> page = transactions.inTransaction(() -> log.entries(null, from, 1_000));
            for (AuditEntry entry : page) {
                if (!chain.accept(entry)) {
                    break;
                }
            }
            if (page.size() < 1_000) {
                break;
            }
            after = page.getLast().seq();
        }
        Optional<String> problem = chain.finish(head.lastSeq(), head.lastHash());
        return new Verification(problem.isEmpty(), chain.checked(), head, problem.orElse(null));
    }

    /** Removes entries older than {@code retention}; returns how many. */
    public int prune(Duration retention) {
        return transactions.inTransaction(() -> log.prune(clock.instant().minus(retention)));
    }

    AuditLog log() {
        return log;
    }
}
