package dev.memos.cubes.bench;

import dev.memos.testkit.Scratch;
import dev.memos.cubes.embed.Vectors;
import dev.memos.cubes.search.lucene.LuceneSearchIndex;
import dev.memos.cubes.search.lucene.VectorQuantization;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.Governance;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.Operation;
import dev.memos.kernel.model.Provenance;
import dev.memos.kernel.model.Source;
import dev.memos.kernel.model.Temporal;
import dev.memos.kernel.model.TextPayload;
import dev.memos.kernel.search.IndexCandidates;
import dev.memos.kernel.search.IndexQuery;
import dev.memos.kernel.search.SearchFilters;
import dev.memos.kernel.search.SearchMode;
import dev.memos.testkit.bench.Percentiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The search index in process, with precomputed synthetic vectors (no embedding), against an
 * exact brute-force scan of the same vectors: indexing throughput, kNN / BM25 / hybrid latency,
 * vector recall@10, size on disk. Run with {@code ./memos bench-index [n=100000] [queries=500] [merge-to-segments]}.
 */
public final class IndexBench {
    private static final int DIM = 384;
    private static final int SPACES = 10;
    private static final int K = 10;
    private static final int CANDIDATES = 100;

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int queries = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int mergeTo = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        Random random = new Random(42);
        float[][] centers = new float[1_000][];
        for (int c = 0; c < centers.length; c++) {
            centers[c] = gaussian(random, 1f);
        }
        String[] vocabulary = new String[5_000];
        for (int w = 0; w < vocabulary.length; w++) {
            vocabulary[w] = "w" + Integer.toString(w * 7919 % 100_003, 36);
        }
        Path dir = Scratch.directory("memos-index-bench");
        float[][] vectors = new float[n][];
        CubeId[] ids = new CubeId[n];
        String[] spaceOf = new String[n];
        Instant now = Instant.parse("2026-11-23T00:00:00Z");
        // -Dbench.quantization=none|int7|int4: how the graph keeps its vectors (memos.search.vector-quantization)
        VectorQuantization quantization = VectorQuantization.valueOf(System.getProperty("bench.quantization", "int7"));
        try (LuceneSearchIndex index = new LuceneSearchIndex(dir, "synthetic", DIM, false, quantization)) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                vectors[i] = point(random, centers);
                ids[i] = new CubeId(new java.util.UUID(i, i));
                spaceOf[i] = "space-" + (i % SPACES);
                index.upsert(cube(ids[i], spaceOf[i], sentence(random, vocabulary), now), vectors[i]);
                if ((i + 1) % 100_000 == 0) {
                    System.out.printf("  … %d indexed (%.0f docs/s)%n", i + 1, (i + 1) / ((System.nanoTime() - t0) / 1e9));
                }
            }
            index.commit();
            double indexSeconds = (System.nanoTime() - t0) / 1e9;
            int segmentsBefore = index.segments();
            double mergeSeconds = 0;
            if (mergeTo > 0) {
                long m0 = System.nanoTime();
                index.forceMerge(mergeTo);
                mergeSeconds = (System.nanoTime() - m0) / 1e9;
            }

            long[] knnAll = new long[queries];
            long[] knnSpace = new long[queries];
            long[] bm25 = new long[queries];
            long[] hybrid = new long[queries];
            long[] brute = new long[queries];
            double recallAll = 0;
            double recallSpace = 0;
            Set<String> allSpaces = new HashSet<>();
            for (int s = 0; s < SPACES; s++) {
                allSpaces.add("space-" + s);
            }
            for (int q = 0; q < queries + 20; q++) {
                boolean warm = q < 20;
                float[] v = point(random, centers);
                String text = sentence(random, vocabulary).substring(0, 20);
                String space = "space-" + (q % SPACES);
                long s = System.nanoTime();
                IndexCandidates all = index.search(query(allSpaces, text, v, SearchMode.VECTOR, now));
                long e = System.nanoTime();
                IndexCandidates one = index.search(query(Set.of(space), text, v, SearchMode.VECTOR, now));
                long f = System.nanoTime();
                index.search(query(allSpaces, text, null, SearchMode.KEYWORD, now));
                long g = System.nanoTime();
                index.search(query(allSpaces, text, v, SearchMode.HYBRID, now));
                long h = System.nanoTime();
                Set<CubeId> exactAll = exact(vectors, ids, spaceOf, v, null);
                long b = System.nanoTime();
                Set<CubeId> exactSpace = exact(vectors, ids, spaceOf, v, space);
                if (warm) {
                    continue;
                }
                int i = q - 20;
                knnAll[i] = e - s;
                knnSpace[i] = f - e;
                bm25[i] = g - f;
                hybrid[i] = h - g;
                brute[i] = b - h;
                recallAll += overlap(all, exactAll);
                recallSpace += overlap(one, exactSpace);
            }
            System.out.printf("%nmemos search index benchmark — %,d cubes, %d-d vectors (quantization %s), %d spaces, %d queries%n",
                    n, DIM, quantization, SPACES, queries);
            System.out.printf("indexing (upsert + commit)        %8.0f docs/s (%.0f s)%n", n / indexSeconds, indexSeconds);
            System.out.printf("segments searched                 %8d (%d before merging; merge took %.0f s)%n",
                    index.segments(), segmentsBefore, mergeSeconds);
            System.out.printf("kNN all spaces   p50/95/99        %s  recall@10 %.3f%n", Percentiles.of(knnAll), recallAll / queries);
            System.out.printf("kNN one space    p50/95/99        %s  recall@10 %.3f%n", Percentiles.of(knnSpace), recallSpace / queries);
            System.out.printf("BM25 top-%d      p50/95/99        %s%n", CANDIDATES, Percentiles.of(bm25));
            System.out.printf("hybrid (both)    p50/95/99        %s%n", Percentiles.of(hybrid));
            System.out.printf("exact brute force p50/95/99       %s%n", Percentiles.of(brute));
            System.out.printf("index on disk                     %8d MiB (%s)%n", index.sizeOnDisk() / (1024 * 1024), byKind(dir));
        }
    }

    private static IndexQuery query(Set<String> spaces, String text, float[] v, SearchMode mode, Instant now) {
        return new IndexQuery(spaces, text, v, mode, SearchFilters.NONE, now, CANDIDATES);
    }

    /** Top-10 of the kNN list against the exact top-10. */
    private static double overlap(IndexCandidates found, Set<CubeId> exact) {
        List<CubeId> top = found.vector().stream().limit(K).map(IndexCandidates.Scored::id).toList();
        return top.stream().filter(exact::contains).count() / (double) K;
    }

    private static Set<CubeId> exact(float[][] vectors, CubeId[] ids, String[] spaceOf, float[] q, String space) {
        int[] best = new int[K];
        float[] scores = new float[K];
        Arrays.fill(scores, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < vectors.length; i++) {
            if (space != null && !space.equals(spaceOf[i])) {
                continue;
            }
            float score = Vectors.dot(q, vectors[i]);
            if (score > scores[K - 1]) {
                int at = K - 1;
                while (at > 0 && scores[at - 1] < score) {
                    scores[at] = scores[at - 1];
                    best[at] = best[at - 1];
                    at--;
                }
                scores[at] = score;
                best[at] = i;
            }
        }
        Set<CubeId> top = new HashSet<>();
        for (int i : best) {
            top.add(ids[i]);
        }
        return top;
    }

    private static MemCube cube(CubeId id, String space, String text, Instant now) {
        return MemCube.builder().id(id).space(space).payload(new TextPayload(text, "fact", List.of()))
                .provenance(new Provenance(Source.API, null, "bench", null, Operation.WRITE, List.of()))
                .time(new Temporal(null, null, now, null))
                .governance(new Governance("bench", null, 0, Set.of(), null)).build();
    }

    private static String sentence(Random random, String[] vocabulary) {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            // Zipf-like: small indexes are far more common.
            words.add(vocabulary[(int) (vocabulary.length * Math.pow(random.nextDouble(), 3))]);
        }
        return String.join(" ", words);
    }

    private static float[] point(Random random, float[][] centers) {
        float[] center = centers[random.nextInt(centers.length)];
        float[] noise = gaussian(random, 0.35f);
        float[] p = new float[DIM];
        for (int d = 0; d < DIM; d++) {
            p[d] = center[d] + noise[d];
        }
        return Vectors.normalize(p);
    }

    private static float[] gaussian(Random random, float sigma) {
        float[] v = new float[DIM];
        for (int d = 0; d < DIM; d++) {
            v[d] = (float) (random.nextGaussian() * sigma);
        }
        return v;
    }

    /** MiB on disk by file extension, largest first (vec: full vectors, veq: quantized, vex: graph). */
    private static String byKind(Path dir) throws java.io.IOException {
        java.util.Map<String, Long> sizes = new java.util.TreeMap<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                String ext = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : name;
                sizes.merge(ext, Files.size(f), Long::sum);
            }
        }
        return sizes.entrySet().stream().sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                .filter(e -> e.getValue() >= 1 << 20)
                .map(e -> e.getKey() + " " + (e.getValue() >> 20)).collect(java.util.stream.Collectors.joining(", "));
    }
}
