package dev.memos.kernel;

import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.Governance;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.Operation;
import dev.memos.kernel.model.Provenance;
import dev.memos.kernel.model.Source;
import dev.memos.kernel.model.Temporal;
import dev.memos.kernel.model.TextPayload;
import dev.memos.kernel.search.IndexCandidates;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AsOfSearchTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static MemCube cube(String text) {
        return MemCube.builder().id(CubeId.next(Clock.fixed(T, ZoneOffset.UTC))).space("s")
                .payload(new TextPayload(text, "fact", List.of()))
                .provenance(new Provenance(Source.API, null, "p", null, Operation.WRITE, List.of()))
                .time(new Temporal(null, null, T, null))
                .governance(new Governance("p", null, 0, Set.of(), null)).build();
    }

    @Test
    void keyword_scores_follow_bm25_rare_words_count_more_and_unmatched_versions_are_left_out() {
        MemCube rare = cube("Ivy adopted a ferret");
        MemCube common = cube("Ivy likes tea");
        MemCube twice = cube("Ivy, Ivy and Ivy again");
        MemCube none = cube("the weather was fine");
        List<IndexCandidates.Scored> scored = AsOfSearch.keyword("ferret Ivy", List.of(rare, common, twice, none), 10);
        assertEquals(List.of(rare.id(), twice.id(), common.id()), scored.stream().map(IndexCandidates.Scored::id).toList());
        assertEquals(2, AsOfSearch.keyword("ivy", List.of(rare, common), 2).size(), "case does not matter");
        assertEquals(1, AsOfSearch.keyword("ivy", List.of(rare, common, twice), 1).size(), "at most n");
        assertEquals(List.of("ivy", "s", "ferret", "2024"), AsOfSearch.words("Ivy's ferret, 2024!"));
    }
}
