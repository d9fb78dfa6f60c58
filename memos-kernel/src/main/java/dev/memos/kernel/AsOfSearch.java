package dev.memos.kernel;

import dev.memos.kernel.access.Principal;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.model.CubeHead;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.Limits;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.TextPayload;
import dev.memos.kernel.query.CubeQuery;
import dev.memos.kernel.query.Page;
import dev.memos.kernel.search.IndexCandidates;
import dev.memos.kernel.search.Ranking;
import dev.memos.kernel.search.SearchHit;
import dev.memos.kernel.search.SearchRequest;
import dev.memos.kernel.spi.CubeStore;
import dev.memos.kernel.spi.Embedder;
import dev.memos.kernel.spi.SearchIndex;
import dev.memos.kernel.spi.Transactions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A search of what memos believed at a recorded time T: each cube as its version current at T (cubes written later
 * are absent, later edits and invalidations do not count; validAt defaults to T). The index holds live versions
 * only, so the candidates come from the store (the grant checked in its query, like every read), ranked with the
 * same fusion as a live search over two lists computed here: BM25 over the versions' words (lower-cased letters
 * and digits; no stemming, unlike the index's English analyzer) and the cosine to the query of each version's
 * vector — the index's for a version still live, embedded now for one superseded since (at most
 * {@link #MAX_EMBEDDINGS} a search). Reading every version current at T costs time in the size of the spaces
 * searched: at most {@link #MAX_VERSIONS}. An as-of search is not an access: it leaves usage and heat alone.
 */
final class AsOfSearch {
    /** The most versions one as-of search reads. */
    static final int MAX_VERSIONS = 20_000;
    /** The most superseded versions one as-of search embeds for its vector list. */
    static final int MAX_EMBEDDINGS = 256;
    private static final double K1 = 1.2, B = 0.75;

    private AsOfSearch() {
    }

    static List<SearchHit> search(CubeStore cubes, SearchIndex index, Embedder embedder, Ranking ranking,
                                  Transactions transactions, Principal actor, Set<String> spaces, SearchRequest request,
                                  int minCandidates) {
        List<MemCube> believed = transactions.inTransaction(() -> believed(cubes, actor, spaces, request));
        return rank(believed, index, embedder, ranking, request, minCandidates);
    }

    /** Each cube's version current at the request's time, readable by the actor and passing its filters. */
    private static List<MemCube> believed(CubeStore cubes, Principal actor, Set<String> spaces, SearchRequest request) {
        Instant at = request.asOf();
        Instant validAt = request.filters().validAt() != null ? request.filters().validAt() : at;
        List<MemCube> believed = new ArrayList<>();
        for (String space : new TreeSet<>(spaces)) {
            CubeId after = null;
            do {
                Page<MemCube> page = cubes.list(space, actor.id(),
                        new CubeQuery(null, null, null, null, after, Limits.MAX_PAGE, at));
                for (MemCube cube : page.items()) {
                    if (cube.payload() instanceof TextPayload && request.filters().matches(cube, validAt)) {
                        believed.add(cube);
                    }
                }
                if (believed.size() > MAX_VERSIONS) {
                    throw new InvalidException("asOf", "an as-of search reads every version current then; more than "
                            + MAX_VERSIONS + " match here: search one space, or narrow it with filters");
                }
                after = page.nextCursor() == null ? null : page.items().getLast().id();
            } while (after != null);
        }
        return believed;
    }

    private static List<SearchHit> rank(List<MemCube> believed, SearchIndex index, Embedder embedder, Ranking ranking,
                                        SearchRequest request, int minCandidates) {
        Instant at = request.asOf();
        int n = Math.max(minCandidates, 4 * request.k());
        List<IndexCandidates.Scored> keyword = request.mode().usesKeywords() ? keyword(request.text(), believed, n) : List.of();
        List<IndexCandidates.Scored> vector = request.mode().usesVectors()
                ? vector(Retrieval.queryVector(embedder, request.text()), believed, index, embedder, n) : List.of();
        Map<CubeId, MemCube> byId = new HashMap<>();
        Map<CubeId, CubeHead> heads = new LinkedHashMap<>();
        for (MemCube cube : believed) {
            byId.put(cube.id(), cube);
            heads.put(cube.id(), CubeHead.of(cube));
        }
        List<SearchHit> hits = new ArrayList<>(request.k());
        for (Ranking.Ranked r : ranking.rank(new IndexCandidates(keyword, vector), heads, at, request.explain())) {
            if (hits.size() == request.k()) {
                break;
            }
            hits.add(r.hit(byId.get(r.head().id())));
        }
        return hits;
    }

    /** The words of a text as this search compares them: runs of letters and digits, lower-cased. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty()) {
                words.add(w);
            }
        }
        return words;
    }

    /** BM25 of each version's words for the query's (distinct) words; versions without one of them are left out. */
    static List<IndexCandidates.Scored> keyword(String query, List<MemCube> versions, int n) {
        Set<String> terms = new LinkedHashSet<>(words(query));
        List<Map<String, Integer>> counts = new ArrayList<>(versions.size());
        List<Integer> lengths = new ArrayList<>(versions.size());
        Map<String, Integer> df = new HashMap<>();
        long total = 0;
        for (MemCube version : versions) {
            List<String> words = words(((TextPayload) version.payload()).text());
            Map<String, Integer> tf = new HashMap<>();
            for (String w : words) {
                if (terms.contains(w)) {
                    tf.merge(w, 1, Integer::sum);
                }
            }
            tf.keySet().forEach(t -> df.merge(t, 1, Integer::sum));
            counts.add(tf);
            lengths.add(words.size());
            total += words.size();
        }
        double average = versions.isEmpty() ? 1 : Math.max(1, (double) total / versions.size());
        List<IndexCandidates.Scored> scored = new ArrayList<>();
        for (int i = 0; i < versions.size(); i++) {
            double score = 0;
            for (var term : counts.get(i).entrySet()) {
                double idf = Math.log(1 + (versions.size() - df.get(term.getKey()) + 0.5) / (df.get(term.getKey()) + 0.5));
                int tf = term.getValue();
                score += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * lengths.get(i) / average));
            }
            if (score > 0) {
                scored.add(new IndexCandidates.Scored(versions.get(i).id(), versions.get(i).version(), (float) score));
            }
        }
        return top(scored, n);
    }

    /** {@code (1 + cosine) / 2} of each version's vector with the query's, as the index scores its vector list. */
    static List<IndexCandidates.Scored> vector(float[] query, List<MemCube> versions, SearchIndex index, Embedder embedder,
                                               int n) {
        List<IndexCandidates.Scored> scored = new ArrayList<>();
        List<MemCube> superseded = new ArrayList<>();
        for (MemCube version : versions) {
            var indexed = version.time().supersededAt() == null ? index.vector(version.id())
                    : java.util.Optional.<float[]>empty();
            if (indexed.isPresent()) {
                scored.add(score(version, indexed.get(), query));
            } else if (superseded.size() < MAX_EMBEDDINGS) {
                superseded.add(version);
            }
        }
        if (!superseded.isEmpty()) {
            try {
                List<float[]> embedded = embedder.embedPassages(superseded.stream()
                        .map(v -> ((TextPayload) v.payload()).text()).toList());
                for (int i = 0; i < superseded.size(); i++) {
                    scored.add(score(superseded.get(i), embedded.get(i), query));
                }
            } catch (Embedder.Rejected refused) {
                // one at a time: a version whose text the embedder refuses stays out of the vector list only
                for (MemCube version : superseded) {
                    try {
                        float[] v = embedder.embedPassages(List.of(((TextPayload) version.payload()).text())).getFirst();
                        scored.add(score(version, v, query));
                    } catch (Embedder.Rejected alsoRefused) {
                        // found by its words, if at all
                    }
                }
            }
        }
        return top(scored, n);
    }

    private static IndexCandidates.Scored score(MemCube version, float[] vector, float[] query) {
        double dot = 0;
        for (int i = 0; i < Math.min(vector.length, query.length); i++) {
            dot += vector[i] * query[i];
        }
        return new IndexCandidates.Scored(version.id(), version.version(), (float) ((1 + dot) / 2));
    }

    private static List<IndexCandidates.Scored> top(List<IndexCandidates.Scored> scored, int n) {
        return IndexCandidates.Scored.best(scored, n);
    }
}
