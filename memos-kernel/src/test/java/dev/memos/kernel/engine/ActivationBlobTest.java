package dev.memos.kernel.engine;

import dev.memos.kernel.error.ConflictException;
import dev.memos.kernel.error.InvalidException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActivationBlobTest {
    static final String MODEL = "a".repeat(64);
    static final String ADAPTER = "b".repeat(64);
    static final ContextSettings CONTEXT = new ContextSettings(4096, "f16");
    static final ModelInfo INFO = new ModelInfo(MODEL, "tiny", "llama", 4096, 64, 2, 330);

    static KvSnapshot snapshot(List<AdapterUse> adapters) {
        return new KvSnapshot(new byte[]{9, 8, 7, 6, 5}, new int[]{1, 40, 41, 42}, MODEL, adapters, CONTEXT);
    }

    @Test
    void round_trips_state_tokens_and_what_it_is_valid_for() {
        KvSnapshot kv = snapshot(List.of(new AdapterUse(ADAPTER, 0.5f)));
        KvSnapshot back = ActivationBlob.decode(ActivationBlob.encode(kv));
        assertArrayEquals(kv.state(), back.state());
        assertArrayEquals(kv.tokens(), back.tokens());
        assertEquals(kv.modelSha256(), back.modelSha256());
        assertEquals(kv.adapters(), back.adapters());
        assertEquals(kv.context(), back.context());
    }

    @Test
    void damaged_or_foreign_bytes_are_refused() {
        byte[] blob = ActivationBlob.encode(snapshot(List.of()));
        assertThrows(ConflictException.class, () -> ActivationBlob.decode(Arrays.copyOf(blob, blob.length - 1)));
        assertThrows(ConflictException.class, () -> ActivationBlob.decode(Arrays.copyOf(blob, blob.length + 3)));
        assertThrows(ConflictException.class, () -> ActivationBlob.decode("GGUF and more".getBytes()));
        assertThrows(ConflictException.class, () -> ActivationBlob.decode(new byte[0]));
        byte[] tokens = blob.clone();
        int countAt = 4 + 2 + 64 + 4 + 2 + 3 + 4; // magic, model, context size, kv type, adapter count
        tokens[countAt] = 0x7f; // a token count of two billion
        assertThrows(ConflictException.class, () -> ActivationBlob.decode(tokens));
    }

    @Test
    void incompatibility_names_the_model_context_or_adapters_that_differ() {
        KvSnapshot kv = snapshot(List.of(new AdapterUse(ADAPTER, 1f)));
        assertTrue(kv.incompatibility(INFO, CONTEXT, List.of(new AdapterUse(ADAPTER, 1f))).isEmpty());
        assertTrue(kv.incompatibility(new ModelInfo("c".repeat(64), "other", "llama", 4096, 64, 2, 330), CONTEXT,
                List.of(new AdapterUse(ADAPTER, 1f))).orElseThrow().contains("model"));
        assertTrue(kv.incompatibility(INFO, new ContextSettings(2048, "f16"), List.of(new AdapterUse(ADAPTER, 1f)))
                .orElseThrow().contains("context"));
        assertTrue(kv.incompatibility(INFO, CONTEXT, List.of(new AdapterUse(ADAPTER, 0.5f))).orElseThrow()
                .contains("adapters"));
        assertTrue(kv.incompatibility(INFO, CONTEXT, List.of()).orElseThrow().contains("adapters"));
    }

    @Test
    void sampling_and_adapter_scales_are_checked() {
        assertThrows(InvalidException.class, () -> new Sampling(-1, 1, 0, 10, List.of()));
        assertThrows(InvalidException.class, () -> new Sampling(0, 0, 0, 10, List.of()));
        assertThrows(InvalidException.class, () -> new Sampling(0, 1, 0, 0, List.of()));
        assertThrows(InvalidException.class, () -> new Sampling(0, 1, 0, 10, List.of("")));
        assertThrows(InvalidException.class, () -> new AdapterUse(ADAPTER, 5f));
        assertThrows(InvalidException.class, () -> new AdapterUse(ADAPTER, Float.NaN));
    }

    @Test
    void the_memory_block_does_not_depend_on_the_conversation() {
        String block = MemoryPrompt.prefix(List.of("Carol is allergic\nto peanuts", "Bob lives in Oslo"));
        assertEquals(MemoryPrompt.HEADER + "- Carol is allergic to peanuts\n- Bob lives in Oslo\n", block);
        String suffix = MemoryPrompt.suffix(List.of("Dan keeps bees"),
                List.of(new MemoryPrompt.Turn("user", " Who keeps bees? ")));
        assertEquals("- Dan keeps bees\n\nuser: Who keeps bees?\nassistant:", suffix);
    }

    @Test
    void a_blob_payload_holds_the_sources_of_the_largest_activation_cube() {
        StringBuilder sources = new StringBuilder();
        for (int i = 0; i < dev.memos.kernel.Tiers.MAX_SOURCES; i++) {
            sources.append(i == 0 ? "" : ",").append(java.util.UUID.randomUUID()).append("@").append(1000 + i);
        }
        var payload = new dev.memos.kernel.model.BlobPayload("a".repeat(64), 1, ActivationBlob.MEDIA_TYPE, "m",
                java.util.Map.of("sources", sources.toString(), "tokens", "4096"));
        assertEquals(sources.toString(), payload.attributes().get("sources"));
        assertThrows(InvalidException.class, () -> new dev.memos.kernel.model.BlobPayload("a".repeat(64), 1, "m", "m",
                java.util.Map.of("a", "x".repeat(9000), "b", "y".repeat(9000))));
    }
}
