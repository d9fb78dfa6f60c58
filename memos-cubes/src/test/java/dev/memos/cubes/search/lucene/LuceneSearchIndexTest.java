package dev.memos.cubes.search.lucene;

import dev.memos.kernel.spi.SearchIndex;
import dev.memos.testkit.SearchIndexContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

class LuceneSearchIndexTest extends SearchIndexContract {
    private Path dir;

    @Override
    protected SearchIndex newIndex() {
        try {
            dir = Files.createTempDirectory("memos-index");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new LuceneSearchIndex(dir, "test-model", 4, false);
    }

    @AfterEach
    void close() throws Exception {
        ((LuceneSearchIndex) index).close();
    }

    @Test
    void an_index_built_with_another_model_is_refused_with_the_fix_or_emptied_on_request() throws Exception {
        index.upsert(cube("s", "kept"), new float[]{1, 0, 0, 0});
        index.commit();
        ((LuceneSearchIndex) index).close();

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> new LuceneSearchIndex(dir, "other-model", 8, false));
        assertTrue(refused.getMessage().contains("rebuild-on-mismatch"), refused.getMessage());

        try (LuceneSearchIndex same = new LuceneSearchIndex(dir, "test-model", 4, false)) {
            assertFalse(same.startedEmpty());
            assertTrue(same.indexedVersions().size() == 1);
        }
        LuceneSearchIndex rebuilt = new LuceneSearchIndex(dir, "other-model", 8, true);
        assertTrue(rebuilt.startedEmpty());
        assertTrue(rebuilt.indexedVersions().isEmpty());
        index = rebuilt;
    }
}
