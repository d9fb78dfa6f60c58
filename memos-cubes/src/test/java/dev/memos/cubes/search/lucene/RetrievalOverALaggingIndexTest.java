package dev.memos.cubes.search.lucene;

import dev.memos.testkit.Scratch;
import dev.memos.kernel.CubePatch;
import dev.memos.kernel.Directory;
import dev.memos.kernel.MemoryKernel;
import dev.memos.kernel.NewCube;
import dev.memos.kernel.Retrieval;
import dev.memos.kernel.access.Principal;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.search.Ranking;
import dev.memos.kernel.search.SearchFilters;
import dev.memos.kernel.search.SearchHit;
import dev.memos.kernel.search.SearchMode;
import dev.memos.kernel.search.SearchRequest;
import dev.memos.kernel.spi.Embedder;
import dev.memos.kernel.spi.IndexProgress;
import dev.memos.kernel.spi.UsageSink;
import dev.memos.kernel.testing.InMemoryBackend;
import dev.memos.kernel.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A search filters and ranks its candidates by their heads and trusts the index for the labels (tags, sensitivity,
 * purpose) only where the index holds the live version. Here the index lags one update behind.
 */
class RetrievalOverALaggingIndexTest {
    private static final float[] SAME = {1, 0, 0, 0};
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryBackend backend = new InMemoryBackend();
    private final MemoryKernel kernel = new MemoryKernel(backend.cubes(), backend.directory(), backend.outbox(),
            backend.transactions(), clock);
    private final Embedder embedder = new Embedder() {
        @Override public String model() { return "same-vector"; }
        @Override public int dimension() { return 4; }
        @Override public List<float[]> embedPassages(List<String> passages) { return passages.stream().map(p -> SAME).toList(); }
        @Override public float[] embedQuery(String query) { return SAME; }
    };
    private LuceneSearchIndex index;
    private Retrieval retrieval;
    private Principal alice;
    private String space;

    @BeforeEach
    void setUp() throws Exception {
        index = new LuceneSearchIndex(Scratch.directory("memos-lagging"), "same-vector", 4, false);
        retrieval = new Retrieval(backend.cubes(), backend.directory(), index, embedder, UsageSink.NONE,
                IndexProgress.ALWAYS_CURRENT, backend.transactions(), clock, Runnable::run,
                new Retrieval.Settings(new Ranking(Ranking.Config.DEFAULT), Duration.ofSeconds(1)));
        Directory directory = new Directory(backend.directory(), backend.cubes(), backend.outbox(), backend.transactions(), clock);
        directory.bootstrapAdmin(null, key -> { });
        Principal admin = backend.transactions().inTransaction(() -> backend.directory().firstAdmin()).orElseThrow();
        alice = directory.createPrincipal(admin, "alice", Principal.Kind.USER, false).principal();
        space = "lagging";
        directory.createSpace(alice, space, null);
    }

    @AfterEach
    void close() throws Exception {
        index.close();
    }

    private MemCube indexed(MemCube cube) {
        index.upsert(cube, SAME);
        index.commit();
        return cube;
    }

    private List<SearchHit> search(SearchMode mode, SearchFilters filters) {
        return retrieval.search(alice, space, new SearchRequest("cello", 10, mode, filters, false, false));
    }

    private static SearchFilters tagged(String tag) {
        return new SearchFilters(null, Set.of(tag), null, null, null, null, null, null, null, null);
    }

    @Test
    void a_candidate_whose_entry_is_older_than_its_live_version_is_checked_in_full_and_answered_as_it_is_now() {
        MemCube cube = indexed(kernel.write(alice, space, NewCube.text("Ivan plays the cello", "fact")
                .withTags(List.of("music"))).cube());
        MemCube current = indexed(kernel.write(alice, space, NewCube.text("Judy tunes a cello", "fact")
                .withTags(List.of("music"))).cube());
        clock.advance(Duration.ofMinutes(1));
        // version 2 drops the tag; the index still holds version 1 (tagged "music")
        kernel.update(alice, cube.id(), 1, new CubePatch("Ivan plays the cello on Sundays", null, List.of(), null, null,
                null, false, null, null, null));

        for (SearchMode mode : List.of(SearchMode.KEYWORD, SearchMode.HYBRID)) {
            assertEquals(List.of(current.id()), search(mode, tagged("music")).stream().map(h -> h.cube().id()).toList(),
                    mode + ": the index matched the old tags, the live version has none");
            List<SearchHit> all = search(mode, SearchFilters.NONE);
            assertEquals(2, all.size(), mode.toString());
            SearchHit ivan = all.stream().filter(h -> h.cube().id().equals(cube.id())).findFirst().orElseThrow();
            assertEquals(2, ivan.cube().version());
            assertEquals("Ivan plays the cello on Sundays", ivan.cube().text(), "the hit is the live version, not the indexed one");
        }
    }

    @Test
    void head_filters_apply_to_the_live_state_even_where_the_index_is_current() {
        MemCube cube = indexed(kernel.write(alice, space, NewCube.text("Ivan plays the cello", "fact")).cube());
        kernel.invalidate(alice, cube.id(), Instant.parse("2025-06-01T00:00:00Z"), "moved away");
        assertTrue(search(SearchMode.HYBRID, SearchFilters.NONE).isEmpty(), "invalidation keeps the version: the head tells");
        SearchFilters past = new SearchFilters(null, null, null, null, Instant.parse("2025-01-01T00:00:00Z"), null, null,
                null, null, null);
        assertEquals(List.of(cube.id()), search(SearchMode.HYBRID, past).stream().map(h -> h.cube().id()).toList());
    }

    @Test
    void a_read_your_writes_search_waits_as_long_as_it_asks_and_no_longer() {
        List<Duration> waited = new java.util.ArrayList<>();
        Retrieval behind = new Retrieval(backend.cubes(), backend.directory(), index, embedder, UsageSink.NONE, (spaces, timeout) -> waited.add(timeout) && false, backend.transactions(), clock,
                Runnable::run, new Retrieval.Settings(new Ranking(Ranking.Config.DEFAULT), Duration.ofSeconds(5)));
        var unavailable = org.junit.jupiter.api.Assertions.assertThrows(dev.memos.kernel.error.UnavailableException.class,
                () -> behind.search(alice, space, new SearchRequest("cello", 10, SearchMode.HYBRID, SearchFilters.NONE,
                        false, true, null, Duration.ofMillis(1500))));
        assertTrue(unavailable.getMessage().contains("within 1500 ms"), unavailable.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(dev.memos.kernel.error.UnavailableException.class,
                () -> behind.search(alice, space, new SearchRequest("cello", 10, SearchMode.HYBRID, SearchFilters.NONE,
                        false, true)));
        assertEquals(List.of(Duration.ofMillis(1500), Duration.ofSeconds(5)), waited, "the service's wait when none is asked");
    }
}
