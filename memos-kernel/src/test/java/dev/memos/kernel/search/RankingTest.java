package dev.memos.kernel.search;

import dev.memos.kernel.model.CubeHead;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.Governance;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.Operation;
import dev.memos.kernel.model.Provenance;
import dev.memos.kernel.model.Source;
import dev.memos.kernel.model.Temporal;
import dev.memos.kernel.model.TextPayload;
import dev.memos.kernel.model.Usage;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RankingTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private final Ranking ranking = new Ranking(Ranking.Config.DEFAULT);

    private static MemCube cube(Instant recorded, int priority, Usage usage) {
        return MemCube.builder().id(CubeId.next(Clock.systemUTC())).space("s")
                .payload(new TextPayload("t", "fact", List.of()))
                .provenance(new Provenance(Source.API, null, "p", null, Operation.WRITE, List.of()))
                .time(new Temporal(null, null, recorded, null))
                .governance(new Governance("p", null, priority, Set.of(), null)).usage(usage).build();
    }

    private static Map<CubeId, CubeHead> heads(MemCube... cubes) {
        Map<CubeId, CubeHead> heads = new HashMap<>();
        for (MemCube c : cubes) {
            heads.put(c.id(), CubeHead.of(c));
        }
        return heads;
    }

    private static IndexCandidates.Scored s(MemCube c, float score) {
        return new IndexCandidates.Scored(c.id(), c.version(), score);
    }

    @Test
    void a_cube_in_both_lists_beats_one_in_a_single_list() {
        MemCube both = cube(NOW, 0, Usage.NONE);
        MemCube keywordOnly = cube(NOW, 0, Usage.NONE);
        MemCube vectorOnly = cube(NOW, 0, Usage.NONE);
        IndexCandidates c = new IndexCandidates(List.of(s(keywordOnly, 9), s(both, 5)), List.of(s(vectorOnly, .9f), s(both, .8f)));
        List<Ranking.Ranked> hits = ranking.rank(c, heads(both, keywordOnly, vectorOnly), NOW, true);
        assertEquals(both.id(), hits.getFirst().head().id());
        assertEquals(2, hits.getFirst().explanation().keywordRank());
        assertEquals(2, hits.getFirst().explanation().vectorRank());
        assertEquals(1.0 / 12 + 1.0 / 12, hits.getFirst().explanation().fused(), 1e-12);
        SearchHit.Explanation second = hits.get(1).explanation();
        assertTrue((second.keywordRank() == null) != (second.vectorRank() == null), "the runner-up is in exactly one list");
    }

    @Test
    void candidates_the_store_did_not_return_are_dropped_and_ranks_close_up() {
        MemCube gone = cube(NOW, 0, Usage.NONE);
        MemCube kept = cube(NOW, 0, Usage.NONE);
        IndexCandidates c = new IndexCandidates(List.of(s(gone, 9), s(kept, 5)), List.of());
        List<Ranking.Ranked> hits = ranking.rank(c, heads(kept), NOW, true);
        assertEquals(1, hits.size());
        assertEquals(1, hits.getFirst().explanation().keywordRank());
    }

    @Test
    void boosts_break_ties_by_priority_heat_and_recency() {
        MemCube plain = cube(NOW.minus(Duration.ofDays(365)), 0, Usage.NONE);
        MemCube important = cube(NOW.minus(Duration.ofDays(365)), 80, Usage.NONE);
        MemCube hot = cube(NOW.minus(Duration.ofDays(365)), 0, new Usage(20, NOW, 20));
        MemCube fresh = cube(NOW, 0, Usage.NONE);
        Map<CubeId, CubeHead> all = heads(plain, important, hot, fresh);
        for (MemCube favoured : List.of(important, hot, fresh)) {
            // Same fused score for both: each is alone at rank 1 of its own list.
            IndexCandidates c = new IndexCandidates(List.of(s(plain, 1)), List.of(s(favoured, 1)));
            List<Ranking.Ranked> hits = ranking.rank(c, all, NOW, false);
            assertEquals(favoured.id(), hits.getFirst().head().id());
            assertNull(hits.getFirst().explanation());
        }
    }

    @Test
    void every_survivor_is_ranked_best_first() {
        MemCube a = cube(NOW, 0, Usage.NONE);
        MemCube b = cube(NOW, 0, Usage.NONE);
        MemCube c = cube(NOW, 0, Usage.NONE);
        List<Ranking.Ranked> ranked = ranking.rank(new IndexCandidates(List.of(s(a, 3), s(b, 2)), List.of(s(c, .9f))),
                heads(a, b, c), NOW, false);
        assertEquals(3, ranked.size());
        assertTrue(ranked.get(0).score() >= ranked.get(1).score() && ranked.get(1).score() >= ranked.get(2).score());
        assertEquals(b.id(), ranked.get(2).head().id(), "second in its list, below the two list leaders");
    }

    @Test
    void heat_halves_every_half_life() {
        Duration week = Duration.ofDays(7);
        Heat heat = new Heat(week, false);
        assertEquals(4.0, heat.decayed(8, NOW, 40, NOW.plus(week)), 1e-9);
        assertEquals(2.0 + 3, heat.after(8, NOW, 40, 3, NOW.plus(week.multipliedBy(2))), 1e-9);
        assertEquals(0.0, heat.decayed(0, null, 0, NOW));
        assertTrue(heat.decayed(1, NOW, 0, NOW.minusSeconds(5)) == 1.0, "no growth from clock skew");
        assertEquals(NOW, heat.idleFrom(NOW, 40), "without strengthening a cube is idle from its last access");
    }

    @Test
    void each_recall_slows_the_forgetting_and_postpones_idleness() {
        Duration week = Duration.ofDays(7);
        Heat heat = new Heat(week, true);
        assertEquals(1.0, heat.strength(0), 1e-9);
        assertEquals(2.0, heat.strength(1), 1e-9);
        assertEquals(4.0, heat.strength(7), 1e-9);
        assertEquals(4.0, heat.decayed(8, NOW, 0, NOW.plus(week)), 1e-9, "never recalled: halves in a week");
        assertEquals(4.0, heat.decayed(8, NOW, 7, NOW.plus(week.multipliedBy(4))), 1e-9, "recalled 7 times: in four");
        assertTrue(heat.decayed(8, NOW, 3, NOW.plus(week)) > heat.decayed(8, NOW, 1, NOW.plus(week)));
        assertEquals(NOW, heat.idleFrom(NOW, 0));
        assertEquals(NOW.plus(week.multipliedBy(3)), heat.idleFrom(NOW, 7), "idle from three half-lives after");
        assertTrue(heat.strength(1_000_000) < 21, "the logarithm keeps constant use from making a cube unforgettable");
    }

    @Test
    void equal_fused_scores_are_ordered_by_evidence_not_by_arrival() {
        // "What pet does Caroline have?": keyword 1st / vector 2nd against keyword 2nd / vector 1st fuse alike;
        // the cube whose vector score is far ahead of the rest wins, whichever was written last
        MemCube book = cube(NOW, 0, Usage.NONE);
        MemCube puppy = cube(NOW, 0, Usage.NONE);
        IndexCandidates c = new IndexCandidates(List.of(s(book, 4.0f), s(puppy, 3.9f)), List.of(s(puppy, .9f), s(book, .5f)));
        List<Ranking.Ranked> hits = ranking.rank(c, heads(book, puppy), NOW, false);
        assertEquals(hits.get(0).score(), hits.get(1).score(), 1e-12);
        assertEquals(puppy.id(), hits.getFirst().head().id());
        IndexCandidates swapped = new IndexCandidates(List.of(s(puppy, 4.0f), s(book, 1.0f)), List.of(s(book, .9f), s(puppy, .85f)));
        assertEquals(puppy.id(), ranking.rank(swapped, heads(book, puppy), NOW, false).getFirst().head().id());
    }

    @Test
    void a_cube_whose_subject_the_query_names_is_boosted_by_the_subject_weight() {
        MemCube about = cube(NOW, 0, Usage.NONE);
        MemCube other = cube(NOW, 0, Usage.NONE);
        IndexCandidates c = new IndexCandidates(List.of(s(other, 9), s(about, 5)), List.of(), List.of(), List.of(),
                Set.of(about.id()));
        List<Ranking.Ranked> hits = ranking.rank(c, heads(about, other), NOW, true);
        assertEquals(about.id(), hits.getFirst().head().id());
        assertEquals(Ranking.Config.DEFAULT.subjectWeight(), hits.getFirst().explanation().subjectBoost());
        assertEquals(0.0, hits.get(1).explanation().subjectBoost());
        Ranking off = new Ranking(new Ranking.Config(10, 0.05, Duration.ofDays(30), 0.10, new Heat(Duration.ofDays(7), true), 0.20, 0, 1.0));
        assertEquals(other.id(), off.rank(c, heads(about, other), NOW, false).getFirst().head().id());
    }

    @Test
    void the_context_lists_are_fused_with_the_others() {
        MemCube contextual = cube(NOW, 0, Usage.NONE);
        MemCube plain = cube(NOW, 0, Usage.NONE);
        IndexCandidates c = new IndexCandidates(List.of(s(plain, 5), s(contextual, 4)), List.of(s(plain, .8f), s(contextual, .7f)),
                List.of(s(contextual, 6)), List.of(s(contextual, .9f)), Set.of());
        List<Ranking.Ranked> hits = ranking.rank(c, heads(contextual, plain), NOW, true);
        assertEquals(contextual.id(), hits.getFirst().head().id());
        assertEquals(1, hits.getFirst().explanation().contextKeywordRank());
        assertEquals(1, hits.getFirst().explanation().contextVectorRank());
        assertNull(hits.get(1).explanation().contextKeywordRank());
        assertEquals(2 / (10.0 + 2) + 2 / (10.0 + 1), hits.getFirst().explanation().fused(), 1e-12);
    }
}
