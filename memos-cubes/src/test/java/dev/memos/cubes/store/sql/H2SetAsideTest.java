package dev.memos.cubes.store.sql;

import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.spi.SetAside;
import dev.memos.kernel.spi.Transactions;
import dev.memos.testkit.SetAsideContract;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The set-aside contract on table {@code index_set_aside}, in H2; and the rows Flyway V15 carried over from V12. */
@QuarkusTest
class H2SetAsideTest extends SetAsideContract {
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

    @Test
    void rows_from_before_nodes_were_told_apart_are_every_nodes_until_one_clears_them() {
        CubeId cube = CubeId.next(Clock.systemUTC());
        transactions.inTransaction(() -> Panache.getEntityManager().createNativeQuery("insert into index_set_aside"
                        + " (instance_id, cube_id, space_name, reason, attempts, first_at, last_at)"
                        + " values ('', :c, 'legacy', 'refused', 1, :at, :at)")
                .setParameter("c", cube.value()).setParameter("at", OffsetDateTime.now(ZoneOffset.UTC)).executeUpdate());
        for (SqlSetAside node : List.of(setAside, otherNode)) {
            assertTrue(listed(node, cube), "every node lists a row of no node");
        }
        transactions.inTransaction(() -> {
            setAside.clear(List.of(cube));
            return null;
        });
        assertFalse(listed(otherNode, cube), "one node's retry clears it for all");
    }

    private boolean listed(SqlSetAside node, CubeId cube) {
        return transactions.inTransaction(() -> node.list(10_000)).stream().anyMatch(e -> e.cube().equals(cube));
    }
}
