package dev.memos.kernel;

import dev.memos.kernel.access.Principal;
import dev.memos.kernel.access.Role;
import dev.memos.kernel.error.NotFoundException;
import dev.memos.kernel.error.UnavailableException;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.search.ContextWindow;
import dev.memos.kernel.search.IndexCandidates;
import dev.memos.kernel.search.IndexQuery;
import dev.memos.kernel.search.Ranking;
import dev.memos.kernel.search.SearchFilters;
import dev.memos.kernel.search.SearchHit;
import dev.memos.kernel.search.SearchMode;
import dev.memos.kernel.search.SearchRequest;
import dev.memos.kernel.spi.Embedder;
import dev.memos.kernel.spi.IndexProgress;
import dev.memos.kernel.spi.SearchIndex;
import dev.memos.kernel.spi.UsageSink;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retrieval over the in-memory store and an index that answers with the candidate lists a test sets: what the
 * kernel does with the index's candidates (fusion, the grant and state checks on the rows, read-your-writes).
 */
class RetrievalTest extends KernelFixture {
    private final CandidatesIndex index = new CandidatesIndex();

    @BeforeEach
    void a_space_of_bobs() {
        directory.createSpace(bob, "other", "bob's memory");
    }

    private Retrieval retrieval(IndexProgress progress) {
        return new Retrieval(backend, backend, index, new FixedEmbedder(), UsageSink.NONE, progress, backend, clock,
                Runnable::run, new Retrieval.Settings(new Ranking(Ranking.Config.DEFAULT), Duration.ofMillis(50)));
    }

    private static SearchRequest query(String text, boolean waitForWrites) {
        return new SearchRequest(text, 10, SearchMode.HYBRID, SearchFilters.NONE, true, waitForWrites);
    }

    private MemCube write(Principal who, String space, String text) {
        return kernel.write(who, space, NewCube.text(text, "fact")).cube();
    }

    private static IndexCandidates.Scored scored(MemCube cube, float score) {
        return new IndexCandidates.Scored(cube.id(), cube.version(), score);
    }

    @Test
    void a_cube_in_both_lists_ranks_above_cubes_in_one() {
        MemCube both = write(alice, "mem", "Bob lives in Paris");
        MemCube keywordOnly = write(alice, "mem", "Paris is in France");
        MemCube vectorOnly = write(alice, "mem", "Bob moved to a French city");
        index.answer = new IndexCandidates(List.of(scored(keywordOnly, 3f), scored(both, 2f)),
                List.of(scored(vectorOnly, 0.9f), scored(both, 0.8f)));

        List<SearchHit> hits = retrieval(IndexProgress.ALWAYS_CURRENT).search(alice, "mem", query("where does Bob live", false));

        assertEquals(both.id(), hits.getFirst().cube().id());
        assertEquals(3, hits.size());
        SearchHit.Explanation explained = hits.getFirst().explanation();
        assertEquals(2, explained.keywordRank());
        assertEquals(2, explained.vectorRank());
    }

    @Test
    void candidates_the_caller_may_not_read_or_no_longer_live_are_dropped() {
        MemCube mine = write(alice, "mem", "Bob lives in Paris");
        MemCube archived = write(alice, "mem", "Bob lived in Lyon");
        kernel.transition(alice, archived.id(), LifecycleState.ACTIVATED, null);
        kernel.transition(alice, archived.id(), LifecycleState.ARCHIVED, null);
        MemCube deleted = write(alice, "mem", "Bob's old phone number");
        kernel.delete(alice, deleted.id(), "asked to");
        MemCube bobs = write(bob, "other", "Bob lives in Paris too");
        // an index that lags or ignores its filters: the rows decide
        index.answer = new IndexCandidates(List.of(scored(bobs, 5f), scored(deleted, 4f), scored(archived, 3f),
                scored(mine, 1f)), List.of());

        List<SearchHit> hits = retrieval(IndexProgress.ALWAYS_CURRENT).search(alice, "mem", query("Bob", false));

        assertEquals(List.of(mine.id()), hits.stream().map(h -> h.cube().id()).toList());
    }

    @Test
    void a_space_the_caller_cannot_read_is_not_found_and_no_space_means_every_readable_one() {
        MemCube mine = write(alice, "mem", "Bob lives in Paris");
        index.answer = new IndexCandidates(List.of(scored(mine, 1f)), List.of());
        Retrieval retrieval = retrieval(IndexProgress.ALWAYS_CURRENT);

        assertThrows(NotFoundException.class, () -> retrieval.search(alice, "other", query("Bob", false)));
        assertEquals(1, retrieval.search(alice, null, query("Bob", false)).size());
        assertTrue(index.asked.getLast().spaces().contains("mem"));
        assertTrue(!index.asked.getLast().spaces().contains("other"), "the index is asked for readable spaces only");
        directory.grant(alice, "mem", bob.id(), Role.READ);
        assertEquals(1, retrieval.search(bob, "mem", query("Bob", false)).size());
    }

    @Test
    void read_your_writes_waits_for_the_index_and_says_so_when_it_does_not_catch_up() {
        write(alice, "mem", "Bob lives in Paris");
        index.answer = new IndexCandidates(List.of(), List.of());
        List<Duration> waited = new ArrayList<>();

        UnavailableException behind = assertThrows(UnavailableException.class, () -> retrieval((spaces, timeout) ->
                waited.add(timeout) && false).search(alice, "mem", query("Bob", true)));

        assertEquals(List.of(Duration.ofMillis(50)), waited);
        assertTrue(behind.getMessage().contains("waitMs"), behind.getMessage());
        assertEquals(List.of(), retrieval(IndexProgress.ALWAYS_CURRENT).search(alice, "mem", query("Bob", true)));
    }

    /** Every text one vector: the index's answer is what the test set. */
    private static final class FixedEmbedder implements Embedder {
        @Override public String model() { return "fixed"; }
        @Override public int dimension() { return 2; }
        @Override public List<float[]> embedPassages(List<String> passages) {
            return passages.stream().map(p -> new float[]{1, 0}).toList();
        }
        @Override public float[] embedQuery(String query) { return new float[]{1, 0}; }
    }

    /** An index that answers every search with {@link #answer} and records what it was asked. */
    private static final class CandidatesIndex implements SearchIndex {
        IndexCandidates answer = new IndexCandidates(List.of(), List.of());
        final List<IndexQuery> asked = new ArrayList<>();

        @Override public IndexCandidates search(IndexQuery query) {
            asked.add(query);
            return answer;
        }
        @Override public String model() { return "fixed"; }
        @Override public int dimension() { return 2; }
        @Override public void upsert(MemCube cube, float[] vector, ContextWindow.Window context) { }
        @Override public void remove(CubeId id) { }
        @Override public List<CubeId> pendingWindows(int limit) { return List.of(); }
        @Override public long countPendingWindows(String space) { return 0; }
        @Override public Optional<Map.Entry<String, String>> session(CubeId id) { return Optional.empty(); }
        @Override public void removeSpace(String space) { }
        @Override public boolean contains(CubeId id) { return false; }
        @Override public long count(String space) { return 0; }
        @Override public long expungeRemoved(Collection<CubeId> cubes) { return 0; }
        @Override public long expungeRemovedSpace(String space) { return 0; }
        @Override public void commit() { }
        @Override public Optional<float[]> vector(CubeId id) { return Optional.empty(); }
        @Override public Map<CubeId, Integer> indexedVersions() { return Map.of(); }
        @Override public void clear() { }
    }
}
