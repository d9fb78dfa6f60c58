package dev.memos.cubes.search.lucene;

import dev.memos.testkit.Scratch;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.search.ContextWindow;
import dev.memos.kernel.search.IndexCandidates;
import dev.memos.kernel.search.IndexQuery;
import dev.memos.kernel.search.SearchFilters;
import dev.memos.kernel.search.SearchMode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The graph over quantized vectors: exact scores and order all the same, and the full vectors not mapped. */
class QuantizedVectorsTest {
    private static final int DIMENSION = 32;

    private static float[] unit(Random random) {
        float[] v = new float[DIMENSION];
        double norm = 0;
        for (int i = 0; i < DIMENSION; i++) {
            v[i] = (float) random.nextGaussian();
            norm += v[i] * v[i];
        }
        for (int i = 0; i < DIMENSION; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    private static MemCube cube(String space, String text) {
        return MemCube.builder().id(CubeId.next(java.time.Clock.systemUTC())).space(space)
                .state(dev.memos.kernel.model.LifecycleState.GENERATED)
                .payload(new dev.memos.kernel.model.TextPayload(text, "fact", List.of()))
                .provenance(new dev.memos.kernel.model.Provenance(dev.memos.kernel.model.Source.API, null, "p", null,
                        dev.memos.kernel.model.Operation.WRITE, List.of()))
                .time(new dev.memos.kernel.model.Temporal(null, null, Instant.now().minusSeconds(60), null))
                .governance(new dev.memos.kernel.model.Governance("p", null, 0, Set.of(), null)).build();
    }

    private static float score(float[] a, float[] b) {
        return IndexDocuments.SIMILARITY.compare(a, b);
    }

    @Test
    void hits_carry_exact_scores_in_exact_order_at_every_quantization() throws IOException {
        for (VectorQuantization quantization : VectorQuantization.values()) {
            Random random = new Random(3);
            Map<CubeId, float[]> vectors = new HashMap<>();
            try (LuceneSearchIndex index = new LuceneSearchIndex(Scratch.directory("memos-quantized"), "unit",
                    DIMENSION, false, quantization)) {
                for (int i = 0; i < 600; i++) {
                    MemCube cube = cube("s", "memory " + i);
                    vectors.put(cube.id(), unit(random));
                    index.upsert(cube, vectors.get(cube.id()));
                    if (i % 200 == 199) {
                        index.commit(); // several segments, each quantized with its own range
                    }
                }
                for (int q = 0; q < 20; q++) {
                    float[] target = unit(random);
                    List<IndexCandidates.Scored> hits = index.search(new IndexQuery(Set.of("s"), null, target,
                            SearchMode.VECTOR, SearchFilters.NONE, Instant.now(), 10)).vector();
                    List<Map.Entry<CubeId, float[]>> exact = new ArrayList<>(vectors.entrySet());
                    exact.sort(Comparator.comparingDouble(e -> -score(target, e.getValue())));
                    assertEquals(10, hits.size());
                    for (int i = 0; i < hits.size(); i++) {
                        assertEquals(score(target, vectors.get(hits.get(i).id())), hits.get(i).score(), 1e-6f,
                                quantization + ": the hit's score is the exact one");
                        if (i > 0) {
                            assertTrue(hits.get(i - 1).score() >= hits.get(i).score(), quantization + ": best first");
                        }
                    }
                    if (quantization != VectorQuantization.int4) { // 4 bits may miss a neighbour of the top 10
                        assertEquals(exact.getFirst().getKey(), hits.getFirst().id(), quantization + ": the nearest first");
                    }
                }
                CubeId some = vectors.keySet().iterator().next();
                assertArrayEquals(vectors.get(some), index.vector(some).orElseThrow(), "a cube's vector reads back exactly");
            }
        }
    }

    @Test
    void a_window_of_the_cube_alone_is_found_through_its_own_vector_in_exact_order_with_the_others() throws IOException {
        for (VectorQuantization quantization : VectorQuantization.values()) {
            Random random = new Random(7);
            Map<CubeId, float[]> windows = new HashMap<>();
            Path dir = Scratch.directory("memos-self-windows");
            try (LuceneSearchIndex index = new LuceneSearchIndex(dir, "unit", DIMENSION, false, quantization)) {
                for (int i = 0; i < 400; i++) {
                    MemCube cube = cube("s", "memory " + i);
                    float[] own = unit(random);
                    // every other cube has a window of its own (a session); the rest are their own window
                    float[] window = i % 2 == 0 ? own : unit(random);
                    windows.put(cube.id(), window);
                    index.upsert(cube, own, new ContextWindow.Window("memory " + i, window));
                    if (i % 150 == 149) {
                        index.commit();
                    }
                }
                MemCube elsewhere = cube("t", "memory elsewhere");
                float[] target = unit(random);
                index.upsert(elsewhere, target, new ContextWindow.Window("memory elsewhere", target));
                index.commit();
                for (int q = 0; q < 20; q++) {
                    float[] query = q == 0 ? target : unit(random);
                    List<IndexCandidates.Scored> hits = index.search(new IndexQuery(Set.of("s"), null, query,
                            SearchMode.VECTOR, SearchFilters.NONE, Instant.now(), 10)).contextVector();
                    List<CubeId> exact = windows.keySet().stream()
                            .sorted(Comparator.comparingDouble(id -> -score(query, windows.get(id)))).toList();
                    assertEquals(10, hits.size(), quantization + ": the other space's cube is not among them");
                    for (int i = 0; i < hits.size(); i++) {
                        assertEquals(score(query, windows.get(hits.get(i).id())), hits.get(i).score(), 1e-6f,
                                quantization + ": the window's exact score");
                        if (i > 0) {
                            assertTrue(hits.get(i - 1).score() >= hits.get(i).score(), quantization + ": best first");
                        }
                    }
                    if (quantization != VectorQuantization.int4) {
                        assertEquals(exact.subList(0, 3), hits.subList(0, 3).stream().map(IndexCandidates.Scored::id)
                                .toList(), quantization + ": the nearest windows first, whichever field holds them");
                    }
                }
            }
            try (var reader = org.apache.lucene.index.DirectoryReader.open(
                    org.apache.lucene.store.FSDirectory.open(dir))) {
                int windowVectors = 0;
                for (var leaf : reader.leaves()) {
                    var values = leaf.reader().getFloatVectorValues(IndexDocuments.CONTEXT_VECTOR);
                    windowVectors += values == null ? 0 : values.size();
                }
                assertEquals(200, windowVectors, quantization + ": a window of the cube alone is not indexed twice");
            }
        }
    }

    @Test
    void the_full_vectors_are_read_not_mapped_where_the_graph_walks_quantized_ones() throws IOException {
        Path dir = Scratch.directory("memos-quantized-files");
        Random random = new Random(5);
        try (LuceneSearchIndex index = new LuceneSearchIndex(dir, "unit", DIMENSION, false, VectorQuantization.int7)) {
            for (int i = 0; i < 300; i++) {
                index.upsert(cube("s", "memory " + i), unit(random));
            }
            index.commit();
            index.search(new IndexQuery(Set.of("s"), null, unit(random), SearchMode.VECTOR, SearchFilters.NONE,
                    Instant.now(), 10));
            try (var files = Files.list(dir)) {
                List<String> names = files.map(f -> f.getFileName().toString()).toList();
                assertTrue(names.stream().anyMatch(n -> n.endsWith(".vec")), "the full vectors have a file: " + names);
                assertFalse(names.stream().anyMatch(n -> n.endsWith(".cfs")), "no compound files: " + names);
            }
            List<String> mapped = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                    .filter(line -> line.contains(dir.toString())).toList();
            assertTrue(mapped.stream().anyMatch(line -> line.endsWith(".veq")), "the quantized vectors are mapped: " + mapped);
            assertFalse(mapped.stream().anyMatch(line -> line.endsWith(".vec")), "the full vectors are not: " + mapped);
        }
    }
}
