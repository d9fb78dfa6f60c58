package dev.memos.kernel.search;

import dev.memos.kernel.model.CubeId;

import java.util.List;
import java.util.Set;

/**
 * The ranked candidate lists an index returns; the kernel fuses them ({@link Ranking}).
 *
 * @param keyword BM25 over each cube's own text
 * @param vector nearest neighbours of each cube's own vector
 * @param contextKeyword BM25 over each cube's context window (its text with its neighbours' in the same session);
 *                       empty when the index keeps no windows
 * @param contextVector nearest neighbours of each cube's context vector; empty when the index keeps none
 * @param subjectNamed the candidates whose data subject the query names (as words of the query)
 */
public record IndexCandidates(List<Scored> keyword, List<Scored> vector, List<Scored> contextKeyword,
                              List<Scored> contextVector, Set<CubeId> subjectNamed) {
    /** @param version the version of the cube the index entry was built from */
    public record Scored(CubeId id, int version, float score) {
        /** Highest score first; equal scores by cube id, as the indexes order ties. */
        public static final java.util.Comparator<Scored> BEST_FIRST =
                java.util.Comparator.comparingDouble((Scored s) -> -s.score()).thenComparing(Scored::id);

        /** The {@code n} best of {@code scored}, best first. */
        public static List<Scored> best(java.util.Collection<Scored> scored, int n) {
            return scored.stream().sorted(BEST_FIRST).limit(n).toList();
        }
    }

    public IndexCandidates {
        keyword = List.copyOf(keyword);
        vector = List.copyOf(vector);
        contextKeyword = List.copyOf(contextKeyword);
        contextVector = List.copyOf(contextVector);
        subjectNamed = Set.copyOf(subjectNamed);
    }

    /** Only the two lists over the cubes' own text and vector. */
    public IndexCandidates(List<Scored> keyword, List<Scored> vector) {
        this(keyword, vector, List.of(), List.of(), Set.of());
    }

    /** The keyword lists of this and the vector lists of {@code other} (a hybrid search runs them apart). */
    public IndexCandidates withVectorsOf(IndexCandidates other) {
        Set<CubeId> named = new java.util.HashSet<>(subjectNamed);
        named.addAll(other.subjectNamed);
        return new IndexCandidates(keyword, other.vector, contextKeyword, other.contextVector, named);
    }
}
