package dev.memos.scheduler.index;

import dev.memos.testkit.Scratch;
import dev.memos.cubes.search.lucene.LuceneSearchIndex;
import dev.memos.kernel.NewCube;
import dev.memos.kernel.error.UnavailableException;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.Source;
import dev.memos.kernel.search.ContextWindow;
import dev.memos.kernel.search.IndexCandidates;
import dev.memos.kernel.search.IndexQuery;
import dev.memos.kernel.search.SearchFilters;
import dev.memos.kernel.search.SearchMode;
import dev.memos.kernel.spi.Embedder;
import dev.memos.kernel.spi.SetAside;
import dev.memos.scheduler.Fixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One text the embedder refuses does not stall the others: it is set aside, keyword-searchable, and retried. */
class SetAsideTest {
    private final Fixture f = new Fixture();
    private final List<Boolean> visibleWhenCleared = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile CubeId watched;
    /** The store, remembering whether the watched cube was searchable by vector when it was cleared. */
    private final SetAside setAside = new SetAside() {
        private final MemorySetAside store = new MemorySetAside();
        @Override public void record(CubeId cube, String space, String reason, java.time.Instant at) {
            store.record(cube, space, reason, at);
        }
        @Override public void clear(java.util.Collection<CubeId> cubes) {
            if (watched != null && cubes.contains(watched) && store.list(10).stream().anyMatch(e -> e.cube().equals(watched))) {
                visibleWhenCleared.add(found("anything", SearchMode.VECTOR).contains(watched));
            }
            store.clear(cubes);
        }
        @Override public void clearSpace(String space) { store.clearSpace(space); }
        @Override public List<Entry> list(int limit) { return store.list(limit); }
        @Override public long count() { return store.count(); }
    };
    private final AtomicInteger calls = new AtomicInteger();
    private volatile boolean refusePoison = true;
    private volatile boolean down;
    private LuceneSearchIndex index;
    private SearchIndexer indexer;

    @BeforeEach
    void open() throws Exception {
        index = new LuceneSearchIndex(Scratch.directory("memos-set-aside"), "unit", 2, false);
        Embedder embedder = new Embedder() {
            @Override public String model() { return "unit"; }
            @Override public int dimension() { return 2; }
            @Override public List<float[]> embedPassages(List<String> passages) {
                calls.incrementAndGet();
                if (down) {
                    throw new UnavailableException("the model server is down", null);
                }
                if (refusePoison && passages.stream().anyMatch(p -> p.contains("POISON"))) {
                    throw new Embedder.Rejected("the embedding endpoint answered 400: too long");
                }
                return passages.stream().map(p -> new float[] {1, 0}).toList();
            }
            @Override public float[] embedQuery(String query) { return new float[] {1, 0}; }
        };
        indexer = new SearchIndexer(f.backend, index, embedder, f.backend, new ContextWindow(1, 1), setAside, f.clock);
    }

    @AfterEach
    void close() throws Exception {
        index.close();
    }

    private CubeId write(String text) {
        return f.kernel.write(f.owner.principal(), f.space, new NewCube(text, "message", List.of(), Source.CONVERSATION,
                null, "s1", null, null, null, null, Set.of(), null, null)).cube().id();
    }

    private List<CubeId> found(String words, SearchMode mode) {
        IndexCandidates hits = index.search(new IndexQuery(Set.of(f.space), words, mode.usesVectors() ? new float[] {1, 0}
                : null, mode, SearchFilters.NONE, f.clock.instant(), 10));
        return (mode == SearchMode.VECTOR ? hits.vector() : hits.keyword()).stream().map(IndexCandidates.Scored::id).toList();
    }

    @Test
    void a_refused_text_is_set_aside_and_the_rest_of_its_batch_is_indexed() {
        CubeId before = write("bees on the roof");
        CubeId poison = write("POISON pill of a text");
        CubeId after = write("honey in the kitchen");
        indexer.apply(new LinkedHashSet<>(List.of(before, poison, after)));

        assertEquals(List.of(before), found("roof", SearchMode.KEYWORD));
        assertEquals(List.of(after), found("kitchen", SearchMode.KEYWORD));
        assertEquals(List.of(poison), found("pill", SearchMode.KEYWORD), "the refused cube is still found by its words");
        assertEquals(Set.of(before, after), Set.copyOf(found("anything", SearchMode.VECTOR)), "but has no vector");
        List<SetAside.Entry> aside = setAside.list(10);
        assertEquals(1, aside.size());
        assertEquals(poison, aside.getFirst().cube());
        assertEquals(f.space, aside.getFirst().space());
        assertTrue(aside.getFirst().reason().contains("answered 400: too long"), aside.getFirst().reason());
        assertTrue(!aside.getFirst().reason().contains("POISON"), "the reason never quotes the text");

        assertEquals(1, indexer.retrySetAside(), "refused again: still set aside");
        assertEquals(2, setAside.list(10).getFirst().attempts());
        refusePoison = false;
        assertEquals(0, indexer.retrySetAside(), "indexed after the cause went away");
        assertTrue(found("anything", SearchMode.VECTOR).contains(poison));
    }

    @Test
    void a_cube_leaves_the_set_aside_store_only_once_it_is_searchable_by_vector() {
        // a retry asked on another thread (or node) must not see the store empty while the vector is not yet committed
        watched = write("POISON pill of a text");
        indexer.apply(Set.of(watched));
        refusePoison = false;
        assertEquals(0, indexer.retrySetAside());
        assertEquals(List.of(true), visibleWhenCleared);
    }

    @Test
    void a_transient_failure_fails_the_batch_and_sets_nothing_aside() {
        CubeId id = write("bees on the roof");
        down = true;
        assertThrows(UnavailableException.class, () -> indexer.apply(Set.of(id)));
        assertEquals(0, setAside.count());
        down = false;
        indexer.apply(Set.of(id));
        assertEquals(List.of(id), found("roof", SearchMode.KEYWORD));
    }

    @Test
    void a_cube_set_aside_and_then_deleted_leaves_the_set_aside_list() {
        CubeId poison = write("POISON pill of a text");
        indexer.apply(Set.of(poison));
        assertEquals(1, setAside.count());
        f.kernel.delete(f.owner.principal(), poison, null);
        indexer.apply(Set.of(poison));
        assertEquals(0, setAside.count());
        assertEquals(List.of(), found("pill", SearchMode.KEYWORD));
    }
}
