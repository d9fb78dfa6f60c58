package dev.memos.scheduler.index;

import dev.memos.kernel.spi.SetAside;
import dev.memos.kernel.spi.Transactions;
import dev.memos.kernel.testing.NoTransactions;
import dev.memos.testkit.SetAsideContract;

/** The set-aside contract on the in-memory list the indexer uses without a database. */
class MemorySetAsideTest extends SetAsideContract {
    private final MemorySetAside setAside = new MemorySetAside();
    private final MemorySetAside otherNode = new MemorySetAside();

    @Override
    protected SetAside setAside() {
        return setAside;
    }

    @Override
    protected SetAside otherNode() {
        return otherNode;
    }

    @Override
    protected Transactions transactions() {
        return NoTransactions.INSTANCE;
    }
}
