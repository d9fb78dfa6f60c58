package dev.memos.cubes.embed.onnx;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The model read ahead on a second thread, with the real bge-small jar. */
class ModelPrefetchTest {

    @AfterEach
    void nothingLeftPending() {
        ModelPrefetch.discard();
    }

    @Test
    void the_model_read_ahead_is_taken_once() throws Exception {
        ModelPrefetch.start(OnnxEmbedder.BGE_SMALL);
        ModelPrefetch.Prefetched prefetched = ModelPrefetch.take(OnnxEmbedder.BGE_SMALL);
        assertNotNull(prefetched);
        assertArrayEquals(OnnxEmbedder.resource(OnnxEmbedder.BGE_SMALL + ".onnx"), prefetched.weights());
        assertTrue(prefetched.tokenizer().encode("hello world").getIds().length > 2);
        prefetched.tokenizer().close();
        assertNull(ModelPrefetch.take(OnnxEmbedder.BGE_SMALL), "taken once");
    }

    @Test
    void another_model_drops_what_was_read_ahead() {
        ModelPrefetch.start(OnnxEmbedder.BGE_SMALL);
        assertNull(ModelPrefetch.take("another-model"));
        assertNull(ModelPrefetch.take(OnnxEmbedder.BGE_SMALL), "dropped, not kept for later");
    }

    @Test
    void a_load_after_a_prefetch_embeds_as_one_without() throws Exception {
        float[] without;
        try (OnnxEmbedder plain = OnnxEmbedder.load(OnnxEmbedder.BGE_SMALL, OnnxEmbedder.BGE_QUERY_PREFIX, 1)) {
            without = plain.embedQuery("what does Alice drink?");
        }
        ModelPrefetch.start(OnnxEmbedder.BGE_SMALL);
        try (OnnxEmbedder prefetched = OnnxEmbedder.load(OnnxEmbedder.BGE_SMALL, OnnxEmbedder.BGE_QUERY_PREFIX, 1)) {
            assertNull(ModelPrefetch.take(OnnxEmbedder.BGE_SMALL), "the load took it");
            assertEquals(384, prefetched.dimension());
            assertArrayEquals(without, prefetched.embedQuery("what does Alice drink?"), 1e-6f);
        }
    }

    @Test
    void a_failed_prefetch_leaves_the_load_its_own_error() {
        ModelPrefetch.start("no-such-model");
        assertNull(ModelPrefetch.take("no-such-model"));
        ModelPrefetch.start("no-such-model");
        RuntimeException e = assertThrows(RuntimeException.class, () -> OnnxEmbedder.load("no-such-model", "", 1));
        assertTrue(String.valueOf(e.getMessage()).contains("no-such-model"), e.toString());
    }
}
