package dev.memos.kernel.search;

import dev.memos.kernel.model.CubeId;

import java.util.List;

/** The two ranked candidate lists an index returns; the kernel fuses them ({@link Ranking}). */
public record IndexCandidates(List<Scored> keyword, List<Scored> vector) {
    public record Scored(CubeId id, float score) {
    }

    public IndexCandidates {
        keyword = List.copyOf(keyword);
        vector = List.copyOf(vector);
    }
}
