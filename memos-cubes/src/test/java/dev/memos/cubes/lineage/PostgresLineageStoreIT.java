package dev.memos.cubes.lineage;

import dev.memos.cubes.store.sql.JtaTransactions;
import dev.memos.kernel.spi.LineageStore;
import dev.memos.kernel.spi.Transactions;
import dev.memos.testkit.LineageStoreContract;
import dev.memos.cubes.store.sql.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/** The lineage contract on the embedded store, in a real PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class PostgresLineageStoreIT extends LineageStoreContract {
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
