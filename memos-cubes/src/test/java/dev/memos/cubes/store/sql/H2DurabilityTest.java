package dev.memos.cubes.store.sql;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @Test
    void compaction_in_steps_shrinks_a_file_full_of_dead_pages_and_keeps_the_live_ones(@TempDir Path dir) {
        try (MVStore store = new MVStore.Builder().fileName(dir.resolve("db.mv.db").toString())
                .autoCommitDisabled().open()) {
            MVMap<Integer, String> map = store.openMap("rows");
            String row = "x".repeat(1_000);
            for (int i = 0; i < 20_000; i++) {
                map.put(i, row + i);
                if (i % 100 == 99) {
                    store.commit();
                }
            }
            for (int i = 0; i < 20_000; i++) {
                if (i % 10 != 0) {
                    map.remove(i);
                }
                if (i % 100 == 99) {
                    store.commit();
                }
            }
            store.commit();
            long before = store.getFileStore().size();

            int steps = H2Durability.compactInSteps(store, System.nanoTime() + 30_000_000_000L);
            store.commit();

            long after = store.getFileStore().size();
            assertTrue(steps > 1, "steps " + steps);
            assertTrue(after < before / 2, before + " → " + after + " bytes");
            assertEquals(2_000, map.size());
            assertEquals(row + 12_340, map.get(12_340));
        }
    }
}
