package dev.memos.cubes.store.sql;

import dev.memos.kernel.spi.SetAside;
import dev.memos.kernel.spi.Transactions;
import dev.memos.testkit.SetAsideContract;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/** The set-aside contract on table {@code index_set_aside}, in a real PostgreSQL (the table the nodes of one database share). */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class PostgresSetAsideIT extends SetAsideContract {
    private final SqlSetAside setAside = new SqlSetAside("node-a");
    private final SqlSetAside otherNode = new SqlSetAside("node-b");
    @Inject
    JtaTransactions transactions;

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
        return transactions;
    }
}
