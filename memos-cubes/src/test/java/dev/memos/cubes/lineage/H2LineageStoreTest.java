package dev.memos.cubes.lineage;

import dev.memos.cubes.store.sql.JtaTransactions;
import dev.memos.kernel.spi.LineageStore;
import dev.memos.kernel.spi.Transactions;
import dev.memos.testkit.LineageStoreContract;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** The lineage contract on the embedded store, in H2. */
@QuarkusTest
class H2LineageStoreTest extends LineageStoreContract {
    @Inject
    SqlLineageStore store;
    @Inject
    JtaTransactions transactions;

    @Override
    protected LineageStore store() {
        return store;
    }

    @Override
    protected Transactions transactions() {
        return transactions;
    }
}
