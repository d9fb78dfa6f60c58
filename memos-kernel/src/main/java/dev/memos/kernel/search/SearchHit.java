package dev.memos.kernel.search;

import dev.memos.kernel.model.MemCube;

/** One result: the cube, its final score, and (on request) how the score came about. */
public record SearchHit(MemCube cube, double score, Explanation explanation) {

    /**
     * The parts of a score. Ranks are 1-based; null when the cube was not in that list (the context lists are
     * those over a cube's window of session neighbours). {@code fused} is the reciprocal-rank fusion of the
     * lists; the boosts multiply it. {@code timeBoost}: the cube's event time lies in the time the query names.
     */
    public record Explanation(Integer keywordRank, Float keywordScore, Integer vectorRank, Float vectorScore,
                              Integer contextKeywordRank, Integer contextVectorRank, double fused,
                              double recencyBoost, double heatBoost, double priorityBoost, double subjectBoost,
                              double timeBoost) {
    }
}
