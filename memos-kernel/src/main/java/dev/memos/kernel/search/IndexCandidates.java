package dev.memos.kernel.search;

import dev.memos.kernel.model.CubeId;

import java.util.List;

/** The two ranked candidate lists an index returns; the kernel fuses them ({@link Ranking}). */
public record IndexCandidates(List<Scored> keyword, List<Scored> vector) {
    /** @param version the version of the cube the index entry was built from */
    public record Scored(CubeId id, int version, float score) {
    }

    public IndexCandidates {
        keyword = List.copyOf(keyword);
        vector = List.copyOf(vector);
    }
}
