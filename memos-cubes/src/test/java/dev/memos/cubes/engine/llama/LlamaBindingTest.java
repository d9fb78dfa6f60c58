package dev.memos.cubes.engine.llama;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.nio.file.Path;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The struct layouts memos passes by value must be llama.cpp v0.5.0's. C gives no sizeof across FFM, so the test
 * reads the library's own default parameters at the offsets memos writes: a llama.cpp that adds, removes or
 * moves a field puts other values there, and this test fails instead of memos corrupting memory.
 */
class LlamaBindingTest {
    @TempDir
    static Path dir;
    static Llama llama;

    @BeforeAll
    static void load() {
        llama = Llama.load(LlamaNatives.directory(Optional.empty(), dir));
    }

    @Test
    void struct_sizes_are_those_of_llama_h_v0_5_0() {
        assertEquals(80, Llama.MODEL_PARAMS.byteSize());
        assertEquals(160, Llama.CONTEXT_PARAMS.byteSize());
        assertEquals(56, Llama.BATCH.byteSize());
        assertEquals(32, Llama.TOKEN_DATA_ARRAY.byteSize());
        assertEquals(48, Llama.PERF_CONTEXT.byteSize());
    }

    @Test
    void context_defaults_sit_at_the_offsets_memos_writes() throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = (MemorySegment) llama.contextDefaultParams.invokeExact((SegmentAllocator) arena);
            assertEquals(512, p.get(JAVA_INT, Llama.CTX_N_CTX));
            assertEquals(2048, p.get(JAVA_INT, Llama.CTX_N_BATCH));
            assertEquals(512, p.get(JAVA_INT, Llama.CTX_N_UBATCH));
            assertEquals(1, p.get(JAVA_INT, Llama.CTX_N_SEQ_MAX));
            assertEquals(4, p.get(JAVA_INT, Llama.CTX_N_THREADS));
            assertEquals(4, p.get(JAVA_INT, Llama.CTX_N_THREADS_BATCH));
            assertEquals(-1f, p.get(JAVA_FLOAT, Llama.CTX_YARN_EXT_FACTOR));
            assertEquals(-1f, p.get(JAVA_FLOAT, Llama.CTX_DEFRAG_THOLD));
            assertEquals(1, p.get(JAVA_INT, Llama.CTX_TYPE_K), "GGML_TYPE_F16");
            assertEquals(1, p.get(JAVA_INT, Llama.CTX_TYPE_V), "GGML_TYPE_F16");
            assertFalse(p.get(JAVA_BOOLEAN, Llama.CTX_EMBEDDINGS));
            assertTrue(p.get(JAVA_BOOLEAN, Llama.CTX_OFFLOAD_KQV));
            assertTrue(p.get(JAVA_BOOLEAN, Llama.CTX_NO_PERF));
            assertFalse(p.get(JAVA_BOOLEAN, Llama.CTX_KV_UNIFIED));
            for (long pointer = 136; pointer < 160; pointer += 8) { // samplers, n_samplers, ctx_other
                assertEquals(0L, p.get(java.lang.foreign.ValueLayout.JAVA_LONG, pointer));
            }
        }
    }

    @Test
    void model_defaults_sit_at_the_offsets_memos_reads() throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = (MemorySegment) llama.modelDefaultParams.invokeExact((SegmentAllocator) arena);
            assertEquals(-1, p.get(JAVA_INT, Llama.MODEL_N_GPU_LAYERS));
            assertEquals(1, p.get(JAVA_INT, Llama.MODEL_SPLIT_MODE), "LLAMA_SPLIT_MODE_LAYER");
            assertFalse(p.get(JAVA_BOOLEAN, Llama.MODEL_VOCAB_ONLY));
            assertTrue(p.get(JAVA_BOOLEAN, Llama.MODEL_USE_EXTRA_BUFTS));
        }
    }
}
