package dev.memos.kernel.search;

import dev.memos.kernel.model.CubeHead;
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

    /** A candidate's place in the ranking: its head, final score and (on request) how the score came about. */
    public record Ranked(CubeHead head, double score, SearchHit.Explanation explanation) {
        /** The hit for this candidate, with the cube as read for the answer. */
        public SearchHit hit(MemCube cube) {
            return new SearchHit(cube, score, explanation);
        }
    }

    /**
     * Ranks the candidates that survived access and freshness checks ({@code heads}), best first;
     * candidates missing from {@code heads} are dropped and the ranks in each list close up.
     */
    public List<Ranked> rank(IndexCandidates candidates, Map<CubeId, CubeHead> heads, Instant now, boolean explain) {
        Map<CubeId, Integer> keywordRank = ranks(candidates.keyword(), heads);
        Map<CubeId, Integer> vectorRank = ranks(candidates.vector(), heads);
        Map<CubeId, Float> keywordScore = scores(candidates.keyword());
        Map<CubeId, Float> vectorScore = scores(candidates.vector());
        Set<CubeId> all = new LinkedHashSet<>(keywordRank.keySet());
        all.addAll(vectorRank.keySet());
        List<Ranked> ranked = new ArrayList<>(all.size());
        for (CubeId id : all) {
            CubeHead head = heads.get(id);
            Integer kr = keywordRank.get(id);
            Integer vr = vectorRank.get(id);
            double fused = (kr == null ? 0 : 1.0 / (config.rrfK() + kr)) + (vr == null ? 0 : 1.0 / (config.rrfK() + vr));
            double recency = recency(head, now);
            double heat = heat(head, now);
            double priority = config.priorityWeight() * head.priority() / 100.0;
            double score = fused * (1 + recency + heat + priority);
            ranked.add(new Ranked(head, score, explain
                    ? new SearchHit.Explanation(kr, keywordScore.get(id), vr, vectorScore.get(id), fused, recency, heat, priority)
                    : null));
        }
        ranked.sort(Comparator.comparingDouble(Ranked::score).reversed().thenComparing(r -> r.head().id()));
        return List.copyOf(ranked);
    }

    double recency(CubeHead head, Instant now) {
        double age = Math.max(0, Duration.between(head.recordedAt(), now).toMillis());
        return config.recencyWeight() * Math.pow(0.5, age / config.recencyHalfLife().toMillis());
    }

    double heat(CubeHead head, Instant now) {
        double h = Heat.decayed(head.usage().heat(), head.usage().lastAccessedAt(), now, config.heatHalfLife());
        return config.heatWeight() * h / (1 + h);
    }

    /** 1-based ranks among the candidates that survived. */
    private static Map<CubeId, Integer> ranks(List<IndexCandidates.Scored> list, Map<CubeId, CubeHead> alive) {
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
