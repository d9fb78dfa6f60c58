package dev.memos.cubes.search.lucene;

import dev.memos.testkit.Scratch;
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
            dir = Scratch.directory("memos-index");
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

    @Test
    void cached_space_statistics_follow_deletions_and_new_segments() throws Exception {
        var kept = java.util.List.of(cube("a", "the lake was cold"), cube("a", "a lake, a boat and a lake"));
        var gone = cube("a", "lake lake lake");
        for (var cube : kept) {
            index.upsert(cube, new float[]{1, 0, 0, 0});
        }
        index.upsert(gone, new float[]{1, 0, 0, 0});
        index.commit();
        search("lake"); // caches the segment's scope with the doomed cube in it
        index.remove(gone.id());
        index.upsert(cube("b", "lake lake"), new float[]{1, 0, 0, 0});
        index.commit();
        var after = search("lake");

        try (LuceneSearchIndex fresh = new LuceneSearchIndex(Scratch.directory("memos-index"), "test-model", 4, false)) {
            for (var cube : kept) {
                fresh.upsert(cube, new float[]{1, 0, 0, 0});
            }
            fresh.commit();
            org.junit.jupiter.api.Assertions.assertEquals(fresh.search(query("lake")).keyword(), after,
                    "the same scores as an index that never held the removed cube or space b");
        }
    }

    private static dev.memos.kernel.search.IndexQuery query(String text) {
        return new dev.memos.kernel.search.IndexQuery(java.util.Set.of("a"), text, null,
                dev.memos.kernel.search.SearchMode.KEYWORD, dev.memos.kernel.search.SearchFilters.NONE,
                java.time.Instant.now(), 10);
    }

    private java.util.List<dev.memos.kernel.search.IndexCandidates.Scored> search(String text) {
        return index.search(query(text)).keyword();
    }
}
