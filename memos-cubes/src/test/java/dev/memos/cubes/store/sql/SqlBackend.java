package dev.memos.cubes.store.sql;

import dev.memos.kernel.event.KernelEvent;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.spi.CubeStore;
import dev.memos.kernel.spi.DirectoryStore;
import dev.memos.kernel.spi.Outbox;
import dev.memos.kernel.spi.Transactions;
import dev.memos.kernel.testing.Backend;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/** The SQL stores as the contract suite sees them. */
@ApplicationScoped
public class SqlBackend implements Backend {
    @Inject
    SqlCubeStore cubes;
    @Inject
    SqlPolicyQueries policies;
    @Inject
    SqlUsageStore usage;
    @Inject
    SqlDirectoryStore directory;
    @Inject
    SqlOutbox outbox;
    @Inject
    JtaTransactions transactions;

    @Override public CubeStore cubes() { return cubes; }
    @Override public DirectoryStore directory() { return directory; }
    @Override public Outbox outbox() { return outbox; }
    @Override public Transactions transactions() { return transactions; }
    @Override public dev.memos.kernel.spi.PolicyQueries policies() { return policies; }
    @Override public dev.memos.kernel.spi.UsageStore usage() { return usage; }

    @Override
    public List<KernelEvent> eventsFor(CubeId id) {
        return transactions.inTransaction(() -> outbox.eventsFor(id));
    }
}
