package dev.memos.scheduler.index;

import dev.memos.testkit.Scratch;
import org.awaitility.Awaitility;
import dev.memos.cubes.search.lucene.LuceneSearchIndex;
import dev.memos.kernel.NewCube;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.Source;
import dev.memos.kernel.search.ContextWindow;
import dev.memos.kernel.search.IndexCandidates;
import dev.memos.kernel.search.IndexQuery;
import dev.memos.kernel.search.SearchFilters;
import dev.memos.kernel.search.SearchMode;
import dev.memos.kernel.spi.Embedder;
import dev.memos.scheduler.Fixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Windows indexed with a stand-in vector get the embedding of their own text later, when the indexer is idle. */
class WindowEmbeddingTest {
    private final Fixture f = new Fixture();
    private final List<String> embedded = new ArrayList<>();
    private LuceneSearchIndex index;
    private SearchIndexer indexer;

    @BeforeEach
    void open() throws Exception {
        index = new LuceneSearchIndex(Scratch.directory("memos-window-embedding"), "unit", 2, false);
        Embedder embedder = new Embedder() {
            @Override public String model() { return "unit"; }
            @Override public int dimension() { return 2; }
            @Override public List<float[]> embedPassages(List<String> passages) {
                if (passages.stream().anyMatch(p -> p.contains("refuse") && p.contains("\n"))) {
                    throw new Rejected("400 a window this embedder refuses");
                }
                embedded.addAll(passages);
                return passages.stream().map(p -> p.contains("pottery") ? new float[] {1, 0} : new float[] {0, 1}).toList();
            }
            @Override public float[] embedQuery(String query) { return new float[] {1, 0}; }
        };
        indexer = new SearchIndexer(f.backend, index, embedder, f.backend, new ContextWindow(1, 1, true));
    }

    @AfterEach
    void close() throws Exception {
        index.close();
    }

    private CubeId write(String session, String text) {
        CubeId id = f.kernel.write(f.owner.principal(), f.space, new NewCube(text, "message", List.of(), Source.CONVERSATION,
                null, session, null, null, null, null, Set.of(), null, null)).cube().id();
        f.clock.advance(Duration.ofSeconds(1));
        return id;
    }

    private CubeId say(String session, String text) {
        CubeId id = write(session, text);
        indexer.apply(Set.of(id));
        return id;
    }

    /** The score of each cube's window vector for the query vector (1, 0): (1 + cosine) / 2. */
    private Map<CubeId, Float> windowScores() {
        IndexCandidates found = index.search(new IndexQuery(Set.of(f.space), "x", new float[] {1, 0}, SearchMode.VECTOR,
                SearchFilters.NONE, f.clock.instant(), 10));
        return found.contextVector().stream().collect(Collectors.toMap(IndexCandidates.Scored::id, IndexCandidates.Scored::score));
    }

    @Test
    void a_window_is_searched_with_a_stand_in_at_once_and_with_its_text_embedded_after() {
        CubeId a = say("s1", "I signed up for a pottery class");
        CubeId b = say("s1", "Do you go every weekend?");
        assertEquals(2, indexer.pendingWindows(f.space));
        assertEquals(2, embedded.size(), "the write path embedded the two texts, no window");
        float mixed = windowScores().get(b);
        assertTrue(mixed > 0.5f && mixed < 0.99f, "b's stand-in: its own vector plus half of a's, was " + mixed);

        assertEquals(2, indexer.embedPendingWindows(16));
        assertEquals(List.of("I signed up for a pottery class\nDo you go every weekend?",
                "I signed up for a pottery class\nDo you go every weekend?"), embedded.subList(2, 4));
        assertEquals(1.0f, windowScores().get(b), 1e-6f, "b's window is now the embedding of its text, which names pottery");
        assertEquals(0, indexer.pendingWindows(null));
        assertEquals(0, indexer.embedPendingWindows(16), "nothing left");

        CubeId c = say("s1", "Yes, without fail");
        assertEquals(Set.of(b, c), Set.copyOf(index.pendingWindows(10)), "c joined b's window: both wait again");
        assertEquals(2, indexer.embedPendingWindows(16));
        assertEquals(0, indexer.pendingWindows(null));
        assertEquals(1.0f, windowScores().get(b), 1e-6f);
        assertEquals(Set.of(a, b, c), windowScores().keySet());
    }

    @Test
    void a_refused_window_keeps_its_stand_in_and_leaves_the_others_be() {
        say("s1", "I signed up for a pottery class");
        CubeId b = say("s1", "Do you go every weekend?");
        say("s2", "please refuse this one");
        CubeId d = say("s2", "another turn");
        assertEquals(4, indexer.pendingWindows(null));
        assertEquals(4, indexer.embedPendingWindows(16));
        assertEquals(0, indexer.pendingWindows(null), "the refused windows are not tried forever");
        assertEquals(1.0f, windowScores().get(b), 1e-6f);
        assertTrue(windowScores().containsKey(d), "the refused window is still searched, with its stand-in");
    }

    @Test
    void a_cube_gone_before_its_window_was_embedded_leaves_the_index_and_its_neighbour_is_indexed_alone() {
        CubeId a = say("s1", "I signed up for a pottery class");
        CubeId b = say("s1", "Do you go every weekend?");
        f.kernel.delete(f.owner.principal(), b, "test");
        assertEquals(2, indexer.embedPendingWindows(16));
        assertEquals(Set.of(a), windowScores().keySet(), "b removed as its deletion would have");
        assertEquals(0, indexer.pendingWindows(null));
        assertEquals(0, indexer.embedPendingWindows(16));
    }

    @Test
    void windows_are_embedded_in_the_background_once_the_indexer_is_idle() throws Exception {
        say("s1", "I signed up for a pottery class");
        say("s1", "Do you go every weekend?");
        try (WindowEmbedding background = new WindowEmbedding(indexer, Duration.ofMillis(50))) {
            background.start();
            Awaitility.await("every window embedded").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .until(() -> indexer.pendingWindows(null) == 0);
        }
        assertEquals(0, indexer.pendingWindows(null));
    }

    @Test
    void windows_wait_while_searches_go_on() throws Exception {
        say("s1", "I signed up for a pottery class");
        say("s1", "Do you go every weekend?");
        java.util.concurrent.atomic.AtomicReference<Duration> sinceSearch = new java.util.concurrent.atomic.AtomicReference<>(Duration.ZERO);
        try (WindowEmbedding background = new WindowEmbedding(indexer, Duration.ofMillis(50), sinceSearch::get, () -> true)) {
            background.start();
            Awaitility.await("a search just now: nothing embedded").during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(2)).until(() -> indexer.pendingWindows(null) == 2);
            sinceSearch.set(Duration.ofSeconds(1));
            Awaitility.await("embedded once searches paused").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(20)).until(() -> indexer.pendingWindows(null) == 0);
        }
        assertEquals(0, indexer.pendingWindows(null), "embedded once searches paused");
    }

    @Test
    void on_a_shared_index_only_the_node_whose_turn_it_is_embeds() throws Exception {
        say("s1", "I signed up for a pottery class");
        say("s1", "Do you go every weekend?");
        java.util.concurrent.atomic.AtomicBoolean lease = new java.util.concurrent.atomic.AtomicBoolean(false);
        try (WindowEmbedding background = new WindowEmbedding(indexer, Duration.ofMillis(50), () -> Duration.ofDays(1),
                lease::get)) {
            background.start();
            Awaitility.await("another node holds the lease: nothing embedded here").during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(2)).until(() -> indexer.pendingWindows(null) == 2);
            lease.set(true);
            Awaitility.await("embedded once the lease is this node's").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(20)).until(() -> indexer.pendingWindows(null) == 0);
        }
    }

    @Test
    void with_windows_no_longer_embedded_nothing_is_reported_pending() {
        say("s1", "I signed up for a pottery class");
        say("s1", "Do you go every weekend?");
        SearchIndexer without = new SearchIndexer(f.backend, index, (Embedder) null, f.backend, new ContextWindow(1, 1));
        assertEquals(2, index.countPendingWindows(null), "the marks of the earlier indexer stay in the index");
        assertEquals(0, without.pendingWindows(null), "but nothing will embed them: none is reported waiting");
    }
}
