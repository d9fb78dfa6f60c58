package dev.memos.scheduler.index;

import dev.memos.testkit.Scratch;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The indexer keeps each turn's context window equal to its session's turns, as they arrive and as they go. */
class ContextIndexingTest {
    private final Fixture f = new Fixture();
    private LuceneSearchIndex index;
    private SearchIndexer indexer;

    @BeforeEach
    void open() throws Exception {
        index = new LuceneSearchIndex(Scratch.directory("memos-context"), "unit", 2, false);
        Embedder embedder = new Embedder() {
            @Override public String model() { return "unit"; }
            @Override public int dimension() { return 2; }
            @Override public List<float[]> embedPassages(List<String> passages) {
                return passages.stream().map(p -> p.contains("pottery") ? new float[] {1, 0} : new float[] {0, 1}).toList();
            }
            @Override public float[] embedQuery(String query) { return new float[] {1, 0}; }
        };
        indexer = new SearchIndexer(f.backend, index, embedder, f.backend, new ContextWindow(1, 1));
    }

    @AfterEach
    void close() throws Exception {
        index.close();
    }

    private CubeId say(String session, String text) {
        CubeId id = f.kernel.write(f.owner.principal(), f.space, new NewCube(text, "message", List.of(), Source.CONVERSATION,
                null, session, null, null, null, null, Set.of(), null, null)).cube().id();
        f.clock.advance(java.time.Duration.ofSeconds(1));
        indexer.apply(Set.of(id));
        return id;
    }

    private List<CubeId> context(String words) {
        IndexCandidates found = index.search(new IndexQuery(Set.of(f.space), words, null, SearchMode.KEYWORD,
                SearchFilters.NONE, f.clock.instant(), 10));
        return found.contextKeyword().stream().map(IndexCandidates.Scored::id).sorted().toList();
    }

    private static List<CubeId> sorted(CubeId... ids) {
        return new ArrayList<>(List.of(ids)).stream().sorted().toList();
    }

    @Test
    void a_turn_is_found_by_its_neighbours_words_and_a_later_turn_joins_the_window_before_it() {
        CubeId a = say("s1", "I signed up for a pottery class");
        CubeId b = say("s1", "Do you go every weekend?");
        assertEquals(sorted(a, b), context("pottery"), "b's window holds a's text");
        CubeId c = say("s1", "Yes, without fail");
        assertEquals(sorted(a, b), context("pottery"), "c's window (b and c) does not reach a");
        assertEquals(sorted(b, c), context("fail"), "b was indexed again when c arrived after it");
        say("s2", "Another conversation");
        assertEquals(sorted(a, b), context("pottery"), "windows stay inside their session");
    }

    @Test
    void when_a_turn_is_deleted_no_window_keeps_its_text() {
        CubeId a = say("s1", "Nice to hear");
        CubeId secret = say("s1", "My locker code is Qzvorpexlintal");
        CubeId c = say("s1", "I will remember it");
        assertEquals(sorted(a, secret, c), context("Qzvorpexlintal"));
        f.kernel.delete(f.owner.principal(), secret, null);
        indexer.apply(Set.of(secret));
        assertEquals(List.of(), context("Qzvorpexlintal"));
        assertEquals(sorted(a, c), context("remember"), "a and c are neighbours now");
        assertTrue(index.session(secret).isEmpty());
    }

    @Test
    void an_edit_in_a_long_session_rebuilds_whole_windows_around_it() {
        List<String> words = List.of("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
                "juliett", "kilo", "lima");
        List<CubeId> turns = new ArrayList<>();
        words.forEach(w -> turns.add(say("long", w)));
        for (int edited : new int[] {2, 8}) { // far from the end; just inside the tail read first
            f.kernel.update(f.owner.principal(), turns.get(edited), 1, dev.memos.kernel.CubePatch.text("kiln " + edited));
            indexer.apply(Set.of(turns.get(edited)));
            assertEquals(sorted(turns.get(edited - 1), turns.get(edited), turns.get(edited + 1)),
                    context(Integer.toString(edited)), "the edit reaches the windows right before and after it");
        }
        assertEquals(sorted(turns.get(5), turns.get(6), turns.get(7)), context("golf"),
                "the window of the turn before the edit still holds the turn before it");
    }

    @Test
    void a_deleted_space_leaves_the_searched_index_with_its_event_alone() {
        CubeId a = say("s1", "I signed up for a pottery class");
        assertEquals(List.of(a), context("pottery"));
        indexer.accept(List.of(new dev.memos.kernel.event.KernelEvent(java.util.UUID.randomUUID(),
                dev.memos.kernel.event.EventType.SPACE_DELETED, f.space, null, 0, "owner", f.clock.instant(), java.util.Map.of())));
        assertEquals(List.of(), context("pottery"), "committed with the event, not with some later one");
    }
}
