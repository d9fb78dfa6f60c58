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
 * memos' ranking: reciprocal-rank fusion of the keyword and vector lists (and, where the index keeps context
 * windows, the two lists over them), multiplied by boosts for recency, heat, priority, a data subject the
 * query names and an event time within the time the query names. Multiplying keeps the boosts scale-free: they
 * reorder near-ties and never lift a cube no list found. Equal scores are ordered by evidence (the sum of the lists' normalised scores), then by id.
 */
public final class Ranking {

    /**
     * @param rrfK the RRF constant: a cube at rank r in a list scores 1 / (rrfK + r)
     * @param recencyWeight the boost of a cube about just now (its {@link CubeHead#eventAt event time}); it halves
     *                      every {@code recencyHalfLife}
     * @param heatWeight the boost approached as a cube's heat grows (heat h gives weight × h / (1 + h))
     * @param heat how heat decays without access, and how recalls slow that
     * @param priorityWeight the boost of priority 100 (and the penalty of −100)
     * @param subjectWeight the boost of a cube whose data subject the query names ("What does Melanie like?"
     *                      and a memory about Melanie)
     * @param timeWeight the boost of a cube whose event time lies in the time the query names ("in May 2023")
     */
    public record Config(int rrfK, double recencyWeight, Duration recencyHalfLife, double heatWeight,
                         Heat heat, double priorityWeight, double subjectWeight, double timeWeight) {
        public static final Config DEFAULT =
                new Config(10, 0.05, Duration.ofDays(30), 0.10, new Heat(Duration.ofDays(7), true), 0.20, 1.0, 1.0);

        public Config {
            if (rrfK < 1) {
                throw new IllegalArgumentException("rrfK must be at least 1, was " + rrfK);
            }
            Objects.requireNonNull(recencyHalfLife, "recencyHalfLife");
            Objects.requireNonNull(heat, "heat");
            if (recencyWeight < 0 || heatWeight < 0 || priorityWeight < 0 || subjectWeight < 0 || timeWeight < 0) {
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
     * A candidate's place in the ranking: its head, final score and (on request) how the score came about.
     * {@code evidence} orders equal scores: the sum of the candidate's scores in the lists, each divided by the
     * list's best.
     */
    public record Ranked(CubeHead head, double score, double evidence, SearchHit.Explanation explanation) {
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
        return rank(candidates, heads, now, explain, null);
    }

    /** As {@link #rank(IndexCandidates, Map, Instant, boolean)}, boosting cubes about a time in {@code named}. */
    public List<Ranked> rank(IndexCandidates candidates, Map<CubeId, CubeHead> heads, Instant now, boolean explain,
                             TimeExpressions.Range named) {
        List<List<IndexCandidates.Scored>> lists = List.of(candidates.keyword(), candidates.vector(),
                candidates.contextKeyword(), candidates.contextVector());
        List<Map<CubeId, Integer>> ranks = lists.stream().map(list -> ranks(list, heads)).toList();
        List<Map<CubeId, Double>> normalised = lists.stream().map(Ranking::normalised).toList();
        Map<CubeId, Float> keywordScore = scores(candidates.keyword());
        Map<CubeId, Float> vectorScore = scores(candidates.vector());
        Set<CubeId> all = new LinkedHashSet<>();
        ranks.forEach(r -> all.addAll(r.keySet()));
        List<Ranked> ranked = new ArrayList<>(all.size());
        for (CubeId id : all) {
            CubeHead head = heads.get(id);
            double fused = 0;
            double evidence = 0;
            for (int list = 0; list < lists.size(); list++) {
                Integer rank = ranks.get(list).get(id);
                if (rank != null) {
                    fused += 1.0 / (config.rrfK() + rank);
                    evidence += normalised.get(list).getOrDefault(id, 0.0);
                }
            }
            double recency = recency(head, now);
            double heat = heat(head, now);
            double priority = config.priorityWeight() * head.priority() / 100.0;
            double subject = candidates.subjectNamed().contains(id) ? config.subjectWeight() : 0;
            double time = named != null && named.contains(head.eventAt()) ? config.timeWeight() : 0;
            double score = fused * (1 + recency + heat + priority) * (1 + subject) * (1 + time);
            ranked.add(new Ranked(head, score, evidence, explain
                    ? new SearchHit.Explanation(ranks.get(0).get(id), keywordScore.get(id), ranks.get(1).get(id),
                            vectorScore.get(id), ranks.get(2).get(id), ranks.get(3).get(id), fused, recency, heat,
                            priority, subject, time)
                    : null));
        }
        ranked.sort(Comparator.comparingDouble(Ranked::score).reversed()
                .thenComparing(Comparator.comparingDouble(Ranked::evidence).reversed())
                .thenComparing(r -> r.head().id()));
        return List.copyOf(ranked);
    }

    double recency(CubeHead head, Instant now) {
        double age = Math.max(0, Duration.between(head.eventAt(), now).toMillis());
        return config.recencyWeight() * Math.pow(0.5, age / config.recencyHalfLife().toMillis());
    }

    double heat(CubeHead head, Instant now) {
        double h = config.heat().decayed(head.usage().heat(), head.usage().lastAccessedAt(), head.usage().accessCount(), now);
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

    /** Each candidate's score divided by the list's best (scores of one list share a scale; lists do not). */
    private static Map<CubeId, Double> normalised(List<IndexCandidates.Scored> list) {
        Map<CubeId, Double> out = new HashMap<>();
        double best = list.stream().mapToDouble(IndexCandidates.Scored::score).max().orElse(0);
        if (best > 0) {
            list.forEach(s -> out.putIfAbsent(s.id(), s.score() / best));
        }
        return out;
    }

    private static Map<CubeId, Float> scores(List<IndexCandidates.Scored> list) {
        Map<CubeId, Float> scores = new HashMap<>();
        list.forEach(s -> scores.putIfAbsent(s.id(), s.score()));
        return scores;
    }
}
