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
        assertEquals(4.0, Heat.decayed(8, NOW, NOW.plus(week), week), 1e-9);
        assertEquals(2.0 + 3, Heat.after(8, NOW, 3, NOW.plus(week.multipliedBy(2)), week), 1e-9);
        assertEquals(0.0, Heat.decayed(0, null, NOW, week));
        assertTrue(Heat.decayed(1, NOW, NOW.minusSeconds(5), week) == 1.0, "no growth from clock skew");
    }
}
