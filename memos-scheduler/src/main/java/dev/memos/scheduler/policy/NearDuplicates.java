package dev.memos.scheduler.policy;

import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.TextPayload;
import dev.memos.kernel.search.IndexCandidates;
import dev.memos.kernel.search.IndexQuery;
import dev.memos.kernel.search.SearchFilters;
import dev.memos.kernel.search.SearchMode;
import dev.memos.kernel.spi.SearchIndex;
import dev.memos.kernel.spi.SystemCubeStore;
import dev.memos.kernel.spi.Transactions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds near-duplicates of a cube: cubes of its space, GENERATED or ACTIVATED, whose embedding is at
 * least {@code minSimilarity} (cosine) from it <b>and</b> whose content words are all among the most
 * complete wording's. The second rule keeps apart facts that read alike but say different things
 * ("Bob lives in Paris" / "Bob lives in Berlin" are close vectors; {@code paris} is not among
 * {@code berlin}'s words), while case, punctuation, plural and filler words do not count.
 */
public final class NearDuplicates {
    static final Set<LifecycleState> CANDIDATES = Set.of(LifecycleState.GENERATED, LifecycleState.ACTIVATED);
    private static final int NEIGHBOURS = 8;
    private static final Set<String> FILLER = Set.of("a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "for",
            "with", "is", "are", "was", "were", "be", "been", "it", "its", "that", "this", "very", "really", "just",
            "so", "quite", "also", "too", "s");

    private final SystemCubeStore cubes;
    private final SearchIndex index;
    private final Transactions transactions;
    private final double minSimilarity;

    public NearDuplicates(SystemCubeStore cubes, SearchIndex index, Transactions transactions, double minSimilarity) {
        if (minSimilarity <= 0 || minSimilarity > 1) {
            throw new IllegalArgumentException("the near-duplicate similarity must be in (0, 1], got " + minSimilarity);
        }
        this.cubes = cubes;
        this.index = index;
        this.transactions = transactions;
        this.minSimilarity = minSimilarity;
    }

    public double minSimilarity() {
        return minSimilarity;
    }

    /**
     * A group to fuse around {@code cube}: its members (two or more), whose wording to keep, and the lowest
     * similarity among them and the cube.
     */
    public record Group(List<CubeId> members, CubeId keep, double similarity) {
    }

    /** The cube's vector as the search index holds it; empty while the cube is not indexed yet. */
    public Optional<float[]> vector(MemCube cube) {
        return index.vector(cube.id());
    }

    /** The near-duplicates of {@code cube}, whose indexed vector is {@code vector}: empty when it has none. */
    public Optional<Group> around(MemCube cube, float[] vector, Instant now) {
        SearchFilters filters = new SearchFilters(null, null, null, CANDIDATES, null, null, null, null, null, null);
        IndexCandidates near = index.search(new IndexQuery(Set.of(cube.space()), null, vector, SearchMode.VECTOR,
                filters, now, NEIGHBOURS + 1));
        Map<CubeId, Double> similar = new LinkedHashMap<>();
        for (IndexCandidates.Scored hit : near.vector()) {
            double cosine = 2.0 * hit.score() - 1.0;
            if (!hit.id().equals(cube.id()) && cosine >= minSimilarity) {
                similar.put(hit.id(), cosine);
            }
        }
        if (similar.isEmpty()) {
            return Optional.empty();
        }
        List<MemCube> members = new ArrayList<>();
        members.add(cube);
        transactions.inTransaction(() -> {
            for (CubeId id : similar.keySet()) {
                cubes.findForSystem(id).filter(c -> c.space().equals(cube.space()) && CANDIDATES.contains(c.state())
                        && c.payload() instanceof TextPayload).ifPresent(members::add);
            }
            return null;
        });
        // the most complete wording; every member's content words must be among its own
        MemCube keep = members.stream().max(java.util.Comparator.comparingInt((MemCube c) -> words(c).size())
                .thenComparing(c -> c.id(), java.util.Comparator.reverseOrder())).orElseThrow();
        Set<String> kept = words(keep);
        List<CubeId> group = new ArrayList<>();
        double lowest = 1.0;
        for (MemCube member : members) {
            if (kept.containsAll(words(member))) {
                group.add(member.id());
                if (member != cube) {
                    lowest = Math.min(lowest, similar.get(member.id()));
                }
            }
        }
        if (!group.contains(cube.id()) || group.size() < 2) {
            return Optional.empty();
        }
        return Optional.of(new Group(group, keep.id(), lowest));
    }

    /** Content words: lower case, letters and digits, filler words dropped, a plural {@code s} dropped. */
    static Set<String> words(MemCube cube) {
        return words(((TextPayload) cube.payload()).text());
    }

    static Set<String> words(String text) {
        Set<String> words = new TreeSet<>();
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{Nd}]+")) {
            if (word.isEmpty() || FILLER.contains(word)) {
                continue;
            }
            words.add(word.length() > 3 && word.endsWith("s") && !word.endsWith("ss") ? word.substring(0, word.length() - 1)
                    : word);
        }
        return words;
    }
}
