package dev.memos.kernel.search;

import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.MemCube;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * memos' ranking: reciprocal-rank fusion of the keyword and vector lists, multiplied by boosts for
 * recency, heat and priority. Multiplying keeps the boosts scale-free: they reorder near-ties and
 * never lift a cube no list found.
 */
public final class Ranking {

    /**
     * @param rrfK the RRF constant: a cube at rank r in a list scores 1 / (rrfK + r)
     * @param recencyWeight the boost of a cube recorded just now; it halves every {@code recencyHalfLife}
     * @param heatWeight the boost approached as a cube's heat grows (heat h gives weight × h / (1 + h))
     * @param heatHalfLife how fast heat decays without access
     * @param priorityWeight the boost of priority 100 (and the penalty of −100)
     */
    public record Config(int rrfK, double recencyWeight, Duration recencyHalfLife, double heatWeight,
                         Duration heatHalfLife, double priorityWeight) {
        public static final Config DEFAULT =
                new Config(10, 0.05, Duration.ofDays(30), 0.10, Duration.ofDays(7), 0.20);

        public Config {
            if (rrfK < 1) {
                throw new IllegalArgumentException("rrfK must be at least 1, was " + rrfK);
            }
            Objects.requireNonNull(recencyHalfLife, "recencyHalfLife");
            Objects.requireNonNull(heatHalfLife, "heatHalfLife");
            if (recencyWeight < 0 || heatWeight < 0 || priorityWeight < 0) {
                throw new IllegalArgumentException("weights must not be negative");
            }
        }
    }

    private final Config config;

    public Ranking(Config config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public Config config() {
        return config;
    }

    /**
     * Ranks the candidates that survived access and freshness checks ({@code cubes}); candidates
     * missing from {@code cubes} are dropped.
     */
    public List<SearchHit> rank(IndexCandidates candidates, Map<CubeId, MemCube> cubes, Instant now, int k,
                                boolean explain) {
        Map<CubeId, Integer> keywordRank = ranks(candidates.keyword(), cubes);
        Map<CubeId, Integer> vectorRank = ranks(candidates.vector(), cubes);
        Map<CubeId, Float> keywordScore = scores(candidates.keyword());
        Map<CubeId, Float> vectorScore = scores(candidates.vector());
        Set<CubeId> all = new LinkedHashSet<>(keywordRank.keySet());
        all.addAll(vectorRank.keySet());
        List<SearchHit> hits = new ArrayList<>(all.size());
        for (CubeId id : all) {
            MemCube cube = cubes.get(id);
            Integer kr = keywordRank.get(id);
            Integer vr = vectorRank.get(id);
            double fused = (kr == null ? 0 : 1.0 / (config.rrfK() + kr)) + (vr == null ? 0 : 1.0 / (config.rrfK() + vr));
            double recency = recency(cube, now);
            double heat = heat(cube, now);
            double priority = config.priorityWeight() * cube.governance().priority() / 100.0;
            double score = fused * (1 + recency + heat + priority);
            hits.add(new SearchHit(cube, score, explain
                    ? new SearchHit.Explanation(kr, keywordScore.get(id), vr, vectorScore.get(id), fused, recency, heat, priority)
                    : null));
        }
        hits.sort(Comparator.comparingDouble(SearchHit::score).reversed().thenComparing(h -> h.cube().id()));
        return hits.size() > k ? List.copyOf(hits.subList(0, k)) : List.copyOf(hits);
    }

    double recency(MemCube cube, Instant now) {
        double age = Math.max(0, Duration.between(cube.time().recordedAt(), now).toMillis());
        return config.recencyWeight() * Math.pow(0.5, age / config.recencyHalfLife().toMillis());
    }

    double heat(MemCube cube, Instant now) {
        double h = Heat.decayed(cube.usage().heat(), cube.usage().lastAccessedAt(), now, config.heatHalfLife());
        return config.heatWeight() * h / (1 + h);
    }

    /** 1-based ranks among the candidates that survived. */
    private static Map<CubeId, Integer> ranks(List<IndexCandidates.Scored> list, Map<CubeId, MemCube> alive) {
        Map<CubeId, Integer> ranks = new HashMap<>();
        int rank = 0;
        for (IndexCandidates.Scored scored : list) {
            if (alive.containsKey(scored.id()) && !ranks.containsKey(scored.id())) {
                ranks.put(scored.id(), ++rank);
            }
        }
        return ranks;
    }

    private static Map<CubeId, Float> scores(List<IndexCandidates.Scored> list) {
        Map<CubeId, Float> scores = new HashMap<>();
        list.forEach(s -> scores.putIfAbsent(s.id(), s.score()));
        return scores;
    }
}
