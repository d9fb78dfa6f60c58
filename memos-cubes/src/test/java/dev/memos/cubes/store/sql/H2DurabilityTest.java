package dev.memos.cubes.store.sql;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class H2DurabilityTest {
    @Test
    void only_local_file_databases_get_checkpoints_and_compaction() {
        assertTrue(H2Durability.embeddedFile("jdbc:h2:file:./data/db/memos;LOCK_TIMEOUT=10000"));
        assertTrue(H2Durability.embeddedFile("jdbc:h2:./data/db/memos"));
        assertTrue(H2Durability.embeddedFile("jdbc:h2:/var/lib/memos/db"));
        assertFalse(H2Durability.embeddedFile("jdbc:h2:mem:test;DB_CLOSE_DELAY=-1"));
        assertFalse(H2Durability.embeddedFile("jdbc:h2:tcp://db.example/memos"));
        assertFalse(H2Durability.embeddedFile("jdbc:postgresql://127.0.0.1/memos"));
    }
}
