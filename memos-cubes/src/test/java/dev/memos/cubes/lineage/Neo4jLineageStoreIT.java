package dev.memos.cubes.lineage;

import dev.memos.kernel.error.UnavailableException;
import dev.memos.kernel.spi.LineageStore;
import dev.memos.kernel.spi.Transactions;
import dev.memos.kernel.testing.NoTransactions;
import dev.memos.testkit.LineageStoreContract;
import dev.memos.testkit.servers.Neo4jServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lineage contract on a real Neo4j 5.26 server, started in its own JVM by the testkit. */
class Neo4jLineageStoreIT extends LineageStoreContract {
    private static Neo4jLineageStore store;

    @BeforeAll
    static void connect() {
        store = new Neo4jLineageStore(Neo4jServer.sharedBoltUri(), null, null, "neo4j", Neo4jLineageStore.schema(null));
    }

    @AfterAll
    static void disconnect() {
        store.close();
    }

    @Override
    protected LineageStore store() {
        return store;
    }

    @Override
    protected Transactions transactions() {
        return NoTransactions.INSTANCE;
    }

    @Test
    void the_schema_is_applied_idempotently() {
        // a second store on the same database runs the same statements again without error
        try (Neo4jLineageStore again = new Neo4jLineageStore(Neo4jServer.sharedBoltUri(), null, null, "neo4j",
                Neo4jLineageStore.schema(null))) {
            assertTrue(again.walk(dev.memos.kernel.model.CubeId.parse("00000000-0000-7000-8000-000000000000"),
                    dev.memos.kernel.lineage.Direction.BOTH, 1, 10).isEmpty());
        }
    }

    @Test
    void schema_files_are_split_into_statements_without_comments() {
        assertEquals(List.of("CREATE CONSTRAINT a IF NOT EXISTS\nFOR (v:X) REQUIRE v.k IS UNIQUE", "CREATE INDEX b"),
                Neo4jLineageStore.statements("// a comment\nCREATE CONSTRAINT a IF NOT EXISTS\nFOR (v:X) REQUIRE v.k IS UNIQUE;\n\n"
                        + "  // another; with a semicolon\nCREATE INDEX b;\n"));
        assertEquals(3, Neo4jLineageStore.statements(Neo4jLineageStore.schema(null)).size());
    }

    @Test
    void an_unreachable_server_is_aclear_error() {
        UnavailableException e = assertThrows(UnavailableException.class, () -> new Neo4jLineageStore(
                "bolt://127.0.0.1:1", null, null, "neo4j", Neo4jLineageStore.schema(null)));
        assertTrue(e.getMessage().contains("bolt://127.0.0.1:1"), e.getMessage());
    }
}
