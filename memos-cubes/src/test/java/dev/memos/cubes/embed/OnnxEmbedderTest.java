package dev.memos.cubes.embed;

import dev.memos.cubes.embed.onnx.OnnxEmbedder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real bge-small model from its Maven Central jar. */
class OnnxEmbedderTest {
    private static OnnxEmbedder embedder;

    @BeforeAll
    static void load() {
        embedder = OnnxEmbedder.load(OnnxEmbedder.BGE_SMALL, OnnxEmbedder.BGE_QUERY_PREFIX, 2);
    }

    @AfterAll
    static void close() throws Exception {
        embedder.close();
    }

    @Test
    void vectors_have_the_model_dimension_and_unit_length() {
        assertEquals(384, embedder.dimension());
        float[] v = embedder.embedQuery("what does Alice drink?");
        assertEquals(384, v.length);
        assertEquals(1.0, Vectors.dot(v, v), 1e-4);
    }

    @Test
    void related_texts_are_closer_than_unrelated_ones() {
        float[] query = embedder.embedQuery("What does Alice like to drink?");
        List<float[]> passages = embedder.embedPassages(List.of(
                "Alice prefers green tea in the morning.",
                "The quarterly stock market report was published on Friday."));
        assertTrue(Vectors.dot(query, passages.get(0)) > Vectors.dot(query, passages.get(1)) + 0.1,
                "tea passage should win clearly");
    }

    @Test
    void a_batch_gives_nearly_the_same_vectors_as_one_at_a_time() {
        List<String> texts = List.of("short", "a much longer passage that forces padding of the shorter ones in the batch",
                "middle sized text here");
        List<float[]> batch = embedder.embedPassages(texts);
        for (int i = 0; i < texts.size(); i++) {
            float[] single = embedder.embedPassages(List.of(texts.get(i))).getFirst();
            // The int8 model quantises activations per batch, so padding moves vectors a little.
            assertTrue(Vectors.dot(single, batch.get(i)) > 0.99, "text " + i);
        }
    }

    @Test
    void long_texts_are_truncated_not_rejected() {
        String longText = "memory ".repeat(5_000);
        assertEquals(384, embedder.embedPassages(List.of(longText)).getFirst().length);
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            many.add("passage number " + i);
        }
        assertEquals(70, embedder.embedPassages(many).size());
    }
}
