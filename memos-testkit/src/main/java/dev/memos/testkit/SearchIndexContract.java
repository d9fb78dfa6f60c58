package dev.memos.testkit;

import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.Governance;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.Operation;
import dev.memos.kernel.model.Provenance;
import dev.memos.kernel.model.Source;
import dev.memos.kernel.model.Temporal;
import dev.memos.kernel.model.TextPayload;
import dev.memos.kernel.search.ContextWindow;
import dev.memos.kernel.search.IndexCandidates;
import dev.memos.kernel.search.IndexQuery;
import dev.memos.kernel.search.SearchFilters;
import dev.memos.kernel.search.SearchMode;
import dev.memos.kernel.spi.SearchIndex;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract of a search index, with 4-dimensional hand-made vectors. Subclasses return a new,
 * empty index of dimension 4 from {@link #newIndex()}.
 */
public abstract class SearchIndexContract {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    protected SearchIndex index;

    protected abstract SearchIndex newIndex();

    @BeforeEach
    protected void open() {
        index = newIndex();
    }

    protected static MemCube cube(String space, String text, String kind, List<String> tags, LifecycleState state,
                                  Instant validTo, Set<String> sensitivity) {
        return MemCube.builder().id(CubeId.next(java.time.Clock.systemUTC())).space(space).state(state)
                .payload(new TextPayload(text, kind, tags))
                .provenance(new Provenance(Source.API, null, "p", null, Operation.WRITE, List.of()))
                .time(new Temporal(null, validTo, NOW.minusSeconds(60), null))
                .governance(new Governance("p", null, 0, sensitivity, null)).build();
    }

    protected static MemCube cube(String space, String text) {
        return cube(space, text, "fact", List.of(), LifecycleState.GENERATED, null, Set.of());
    }

    private static float[] v(float... values) {
        double n = 0;
        for (float x : values) {
            n += x * x;
        }
        for (int i = 0; i < values.length; i++) {
            values[i] /= (float) Math.sqrt(n);
        }
        return values;
    }

    private IndexCandidates search(Set<String> spaces, String text, float[] vector, SearchMode mode, SearchFilters filters) {
        return index.search(new IndexQuery(spaces, text, vector, mode, filters, NOW, 10));
    }

    private static List<CubeId> ids(List<IndexCandidates.Scored> list) {
        return list.stream().map(IndexCandidates.Scored::id).toList();
    }

    @Test
    void keyword_and_vector_search_find_what_was_added() {
        MemCube tea = cube("s", "Alice drinks green tea every morning");
        MemCube stocks = cube("s", "The stock market fell on Friday");
        index.upsert(tea, v(1, 0, 0, 0));
        index.upsert(stocks, v(0, 1, 0, 0));
        index.commit();
        IndexCandidates found = search(Set.of("s"), "teas drinking", v(0.9f, 0.1f, 0, 0), SearchMode.HYBRID, SearchFilters.NONE);
        assertEquals(List.of(tea.id()), ids(found.keyword()), "English stemming matches teas/drinking");
        assertEquals(tea.id(), found.vector().getFirst().id());
        assertEquals(2, found.vector().size());
        assertTrue(search(Set.of("s"), "tea", null, SearchMode.KEYWORD, SearchFilters.NONE).vector().isEmpty());
    }

    @Test
    void keyword_scores_in_a_space_do_not_depend_on_other_spaces_or_on_removed_entries() {
        MemCube garden = cube("a", "Melanie painted a sunset over the lake");
        MemCube lake = cube("a", "We swam in the lake after lunch, the lake was cold");
        MemCube other = cube("a", "A quiet evening with a book");
        index.upsert(garden, v(1, 0, 0, 0));
        index.upsert(lake, v(0, 1, 0, 0));
        index.upsert(other, v(0, 0, 1, 0));
        index.commit();
        List<IndexCandidates.Scored> alone = search(Set.of("a"), "lake sunset", null, SearchMode.KEYWORD,
                SearchFilters.NONE).keyword();
        assertEquals(2, alone.size());

        // another tenant writes the same words many times over, and a cube of space a comes and goes
        for (int i = 0; i < 40; i++) {
            index.upsert(cube("b", i % 2 == 0 ? "sunset sunset sunset" : "lake " + "word ".repeat(i)), v(0, 0, 0, 1));
        }
        MemCube gone = cube("a", "sunset at the lake");
        index.upsert(gone, v(0, 0, 0, 1));
        index.commit();
        index.remove(gone.id());
        index.commit();
        List<IndexCandidates.Scored> crowded = search(Set.of("a"), "lake sunset", null, SearchMode.KEYWORD,
                SearchFilters.NONE).keyword();
        assertEquals(alone, crowded, "the same hits with the same scores: statistics come from the spaces searched");
        assertFalse(search(Set.of("a", "b"), "lake sunset", null, SearchMode.KEYWORD, SearchFilters.NONE)
                .keyword().containsAll(alone), "searching both spaces takes both into the statistics");
    }

    @Test
    void context_windows_are_searched_as_lists_of_their_own_and_hits_point_at_the_single_cube() {
        MemCube question = cube("s", "Do you still go every weekend?");
        MemCube answer = cube("s", "Yes, without fail");
        MemCube other = cube("s", "The weather was fine");
        index.upsert(question, v(1, 0, 0, 0), new ContextWindow.Window("Do you still go every weekend?", v(1, 0, 0, 0)));
        index.upsert(answer, v(0, 1, 0, 0), new ContextWindow.Window(
                "I joined a pottery class\nDo you still go every weekend?\nYes, without fail", v(0.8f, 0.6f, 0, 0)));
        index.upsert(other, v(0, 0, 1, 0));
        index.commit();
        IndexCandidates found = search(Set.of("s"), "pottery", v(1, 0, 0, 0), SearchMode.HYBRID, SearchFilters.NONE);
        assertEquals(List.of(), ids(found.keyword()), "no cube's own text says pottery");
        assertEquals(List.of(answer.id()), ids(found.contextKeyword()), "the answer's window does");
        assertEquals(List.of(question.id(), answer.id()), ids(found.contextVector()),
                "a cube indexed without a window is in neither context list");
        assertTrue(search(Set.of("s"), "pottery", null, SearchMode.KEYWORD, SearchFilters.NONE).contextVector().isEmpty());
        assertTrue(search(Set.of("t"), "pottery", v(1, 0, 0, 0), SearchMode.HYBRID, SearchFilters.NONE).contextKeyword().isEmpty(),
                "windows are filtered like everything else");
    }

    @Test
    void a_window_of_the_cube_alone_is_found_by_its_vector_in_order_with_windows_of_their_own() {
        // a cube without a session is its own window: an index may keep its vector once, yet the window-vector list
        // must be the one a single field of all windows would give
        java.util.Random random = new java.util.Random(7);
        java.util.Map<CubeId, float[]> windows = new java.util.HashMap<>();
        for (int i = 0; i < 60; i++) {
            MemCube cube = cube("s", "memory " + i);
            float[] own = v(gaussian(random));
            float[] window = i % 2 == 0 ? own : v(gaussian(random));
            windows.put(cube.id(), window);
            index.upsert(cube, own, new ContextWindow.Window("memory " + i, window));
        }
        float[] target = v(gaussian(random));
        index.upsert(cube("t", "memory elsewhere"), target, new ContextWindow.Window("memory elsewhere", target));
        index.commit();
        for (int q = 0; q < 10; q++) {
            float[] query = q == 0 ? target : v(gaussian(random));
            List<IndexCandidates.Scored> hits = search(Set.of("s"), null, query, SearchMode.VECTOR, SearchFilters.NONE)
                    .contextVector();
            List<CubeId> nearest = windows.keySet().stream()
                    .sorted(java.util.Comparator.comparingDouble(id -> -dot(query, windows.get(id)))).toList();
            assertEquals(nearest.subList(0, 10), ids(hits), "the ten nearest windows, best first, none of space t");
            for (IndexCandidates.Scored hit : hits) {
                assertEquals((1 + dot(query, windows.get(hit.id()))) / 2, hit.score(), 1e-5, "the window's score");
            }
        }
    }

    private static float[] gaussian(java.util.Random random) {
        return new float[] {(float) random.nextGaussian(), (float) random.nextGaussian(), (float) random.nextGaussian(),
                (float) random.nextGaussian()};
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    @Test
    void windows_whose_vector_stands_in_are_listed_and_counted_per_space_until_replaced() {
        MemCube a = cube("s", "first");
        MemCube b = cube("s", "second");
        MemCube c = cube("t", "third");
        index.upsert(a, v(1, 0, 0, 0), new ContextWindow.Window("first\nsecond", v(1, 0, 0, 0), true));
        index.upsert(b, v(0, 1, 0, 0), new ContextWindow.Window("second", v(0, 1, 0, 0), false));
        index.upsert(c, v(0, 0, 1, 0), new ContextWindow.Window("x\nthird", v(0, 0, 1, 0), true));
        index.commit();
        assertEquals(Set.of(a.id(), c.id()), Set.copyOf(index.pendingWindows(10)));
        assertEquals(1, index.pendingWindows(1).size(), "at most the limit");
        assertEquals(1, index.countPendingWindows("s"));
        assertEquals(2, index.countPendingWindows(null));
        index.upsert(a, v(1, 0, 0, 0), new ContextWindow.Window("first\nsecond", v(0.6f, 0.8f, 0, 0), false));
        index.remove(c.id());
        assertEquals(List.of(), index.pendingWindows(10), "replaced and removed entries are no longer pending");
        assertEquals(0, index.countPendingWindows(null));
    }

    @Test
    void an_entry_keeps_its_session_and_tells_when_the_query_names_its_subject() {
        MemCube about = MemCube.builder().id(CubeId.next(java.time.Clock.systemUTC())).space("s")
                .payload(new TextPayload("Melanie: I signed up for a pottery class", "message", List.of()))
                .provenance(new Provenance(Source.CONVERSATION, null, "p", "session-9", Operation.WRITE, List.of()))
                .time(new Temporal(null, null, NOW.minusSeconds(60), null))
                .governance(new Governance("p", null, 0, Set.of(), null, "Melanie")).build();
        MemCube plain = cube("s", "a pottery class nearby");
        index.upsert(about, v(1, 0, 0, 0));
        index.upsert(plain, v(1, 0, 0, 0));
        index.commit();
        assertEquals(java.util.Map.entry("s", "session-9"), index.session(about.id()).orElseThrow());
        assertTrue(index.session(plain.id()).isEmpty());
        assertEquals(java.util.Map.of(about.id(), java.util.Map.entry("s", "session-9")),
                index.sessions(List.of(about.id(), plain.id(), CubeId.next(java.time.Clock.systemUTC()))),
                "of several cubes at once, those with a session");
        assertEquals(Set.of(about.id()), search(Set.of("s"), "What class did Melanie's friend take?", v(1, 0, 0, 0),
                SearchMode.HYBRID, SearchFilters.NONE).subjectNamed());
        assertEquals(Set.of(), search(Set.of("s"), "What does Melanies take", v(1, 0, 0, 0), SearchMode.HYBRID,
                SearchFilters.NONE).subjectNamed(), "a subject counts as whole words only");
    }

    @Test
    void the_indexed_vector_of_a_cube_can_be_read_back_and_scores_are_half_of_one_plus_cosine() {
        MemCube a = cube("s", "Alice drinks green tea");
        MemCube b = cube("s", "Alice drinks black tea");
        MemCube none = cube("s", "no vector here");
        float[] va = v(1, 0, 0, 0);
        float[] vb = v(0.6f, 0.8f, 0, 0);
        index.upsert(a, va);
        index.upsert(b, vb);
        index.upsert(none, null);
        index.commit();
        org.junit.jupiter.api.Assertions.assertArrayEquals(va, index.vector(a.id()).orElseThrow(), 1e-6f);
        org.junit.jupiter.api.Assertions.assertArrayEquals(vb, index.vector(b.id()).orElseThrow(), 1e-6f);
        assertTrue(index.vector(none.id()).isEmpty());
        assertTrue(index.vector(cube("s", "never indexed").id()).isEmpty());
        IndexCandidates near = search(Set.of("s"), null, va, SearchMode.VECTOR, SearchFilters.NONE);
        assertEquals(b.id(), near.vector().get(1).id());
        assertEquals((1 + 0.6f) / 2, near.vector().get(1).score(), 1e-4f);
    }

    @Test
    void a_space_is_removed_whole_and_removed_entries_are_expunged_from_the_segments() {
        List<MemCube> kept = new java.util.ArrayList<>(), gone = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            kept.add(cube("keep", "kept note " + i));
            gone.add(cube("drop", "dropped note " + i));
        }
        MemCube single = kept.getFirst();
        for (int i = 0; i < 20; i++) {
            index.upsert(kept.get(i), v(1, i, 0, 0));
            index.upsert(gone.get(i), v(0, 1, i, 0));
        }
        index.commit();
        assertEquals(20, index.count("drop"));
        assertTrue(index.contains(single.id()));

        index.removeSpace("drop");
        index.remove(single.id());
        assertEquals(0, index.expungeRemoved(List.of(single.id())), "no segment may keep a removed entry");
        assertEquals(0, index.expungeRemovedSpace("drop"));
        assertEquals(0, index.count("drop"));
        assertEquals(19, index.count("keep"));
        assertFalse(index.contains(single.id()));
        assertEquals(List.of(), ids(search(Set.of("drop"), "dropped", null, SearchMode.KEYWORD, SearchFilters.NONE)
                .keyword()));
        assertEquals(10, search(Set.of("keep"), "kept", null, SearchMode.KEYWORD, SearchFilters.NONE).keyword().size(),
                "the space kept is still searched (k = 10)");
    }

    @Test
    void an_update_replaces_the_entry_and_a_remove_deletes_it() {
        MemCube v1 = cube("s", "Bob lives in Paris");
        index.upsert(v1, v(1, 0, 0, 0));
        index.commit();
        MemCube v2 = v1.toBuilder().version(2).payload(new TextPayload("Bob lives in Berlin", "fact", List.of())).build();
        index.upsert(v2, v(0, 0, 1, 0));
        index.commit();
        assertTrue(search(Set.of("s"), "Paris", null, SearchMode.KEYWORD, SearchFilters.NONE).keyword().isEmpty());
        List<IndexCandidates.Scored> berlin = search(Set.of("s"), "Berlin", null, SearchMode.KEYWORD, SearchFilters.NONE).keyword();
        assertEquals(List.of(v1.id()), ids(berlin));
        assertEquals(2, berlin.getFirst().version(), "a candidate names the version its entry was built from");
        List<IndexCandidates.Scored> near = search(Set.of("s"), "x", v(0, 0, 1, 0), SearchMode.VECTOR, SearchFilters.NONE).vector();
        assertEquals(1, near.size());
        assertEquals(2, near.getFirst().version());
        assertEquals(Integer.valueOf(2), index.indexedVersions().get(v1.id()));
        index.remove(v1.id());
        index.commit();
        assertTrue(search(Set.of("s"), "Berlin", v(0, 0, 1, 0), SearchMode.HYBRID, SearchFilters.NONE).vector().isEmpty());
        assertTrue(index.indexedVersions().isEmpty());
    }

    @Test
    void spaces_fence_every_list() {
        MemCube mine = cube("mine", "shared words here");
        MemCube theirs = cube("theirs", "shared words here");
        index.upsert(mine, v(1, 0, 0, 0));
        index.upsert(theirs, v(1, 0, 0, 0));
        index.commit();
        IndexCandidates found = search(Set.of("mine"), "shared words", v(1, 0, 0, 0), SearchMode.HYBRID, SearchFilters.NONE);
        assertEquals(List.of(mine.id()), ids(found.keyword()));
        assertEquals(List.of(mine.id()), ids(found.vector()));
    }

    @Test
    void filters_apply_to_both_lists() {
        MemCube fact = cube("s", "coffee fact", "fact", List.of("drinks", "morning"), LifecycleState.GENERATED, null, Set.of());
        MemCube event = cube("s", "coffee event", "event", List.of("drinks"), LifecycleState.ACTIVATED, null, Set.of("health"));
        MemCube archived = cube("s", "coffee archived", "fact", List.of(), LifecycleState.ARCHIVED, null, Set.of());
        MemCube ended = cube("s", "coffee ended", "fact", List.of(), LifecycleState.GENERATED,
                Instant.parse("2026-01-01T00:00:00Z"), Set.of());
        for (MemCube c : List.of(fact, event, archived, ended)) {
            index.upsert(c, v(1, 1, 0, 0));
        }
        index.commit();
        float[] q = v(1, 1, 0, 0);
        assertEquals(Set.of(fact.id(), event.id()), Set.copyOf(ids(search(Set.of("s"), "coffee", q, SearchMode.HYBRID,
                SearchFilters.NONE).keyword())), "archived and ended facts are out by default");
        SearchFilters events = new SearchFilters(Set.of("event"), null, null, null, null, null, null, null, null, null);
        assertEquals(List.of(event.id()), ids(search(Set.of("s"), "coffee", q, SearchMode.VECTOR, events).vector()));
        SearchFilters tagged = new SearchFilters(null, Set.of("drinks", "morning"), null, null, null, null, null, null, null, null);
        assertEquals(List.of(fact.id()), ids(search(Set.of("s"), "coffee", q, SearchMode.KEYWORD, tagged).keyword()));
        SearchFilters noHealth = new SearchFilters(null, null, null, null, null, null, null, null, Set.of("health"), null);
        assertEquals(List.of(fact.id()), ids(search(Set.of("s"), "coffee", q, SearchMode.VECTOR, noHealth).vector()));
        SearchFilters withArchived = new SearchFilters(null, null, null,
                Set.of(LifecycleState.GENERATED, LifecycleState.ARCHIVED), null, null, null, null, null, null);
        assertEquals(Set.of(fact.id(), archived.id()), Set.copyOf(ids(search(Set.of("s"), "coffee", q, SearchMode.KEYWORD,
                withArchived).keyword())));
        IndexCandidates past = index.search(new IndexQuery(Set.of("s"), "coffee", q, SearchMode.KEYWORD, SearchFilters.NONE,
                Instant.parse("2025-06-01T00:00:00Z"), 10));
        assertTrue(ids(past.keyword()).contains(ended.id()), "valid-at in the past sees the fact that held then");
    }

    @Test
    void event_time_filters_use_valid_from_or_else_the_recording_time() {
        Instant may = Instant.parse("2023-05-06T10:00:00Z");
        MemCube hike = MemCube.builder().id(CubeId.next(java.time.Clock.systemUTC())).space("s")
                .state(LifecycleState.GENERATED).payload(new TextPayload("we went hiking", "event", List.of()))
                .provenance(new Provenance(Source.API, null, "p", null, Operation.WRITE, List.of()))
                .time(new Temporal(may, null, NOW.minusSeconds(60), null))
                .governance(new Governance("p", null, 0, Set.of(), null)).build();
        MemCube undated = cube("s", "we went hiking again"); // recorded a minute before NOW, no validFrom
        index.upsert(hike, v(1, 0, 0, 0));
        index.upsert(undated, v(1, 0, 0, 0));
        index.commit();
        java.util.function.BiFunction<Instant, Instant, Set<CubeId>> between = (from, to) -> Set.copyOf(ids(search(
                Set.of("s"), "hiking", null, SearchMode.KEYWORD, new SearchFilters(null, null, null, null, null, null, null,
                        null, null, null, from, to)).keyword()));
        assertEquals(Set.of(hike.id()), between.apply(Instant.parse("2023-05-01T00:00:00Z"), Instant.parse("2023-06-01T00:00:00Z")));
        assertEquals(Set.of(), between.apply(may.plusMillis(1), Instant.parse("2023-06-01T00:00:00Z")), "from is inclusive");
        assertEquals(Set.of(), between.apply(null, may), "to is exclusive");
        assertEquals(Set.of(undated.id()), between.apply(NOW.minusSeconds(3600), null), "no validFrom: the recording time");
        assertEquals(Set.of(hike.id(), undated.id()), between.apply(null, null));
    }

    @Test
    void clear_empties_the_index() {
        index.upsert(cube("s", "gone soon"), v(1, 0, 0, 0));
        index.commit();
        index.clear();
        assertTrue(index.indexedVersions().isEmpty());
    }
}
