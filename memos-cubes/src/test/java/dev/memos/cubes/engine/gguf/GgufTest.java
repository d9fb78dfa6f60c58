package dev.memos.cubes.engine.gguf;

import dev.memos.kernel.error.InvalidException;
import dev.memos.testkit.gguf.RandomModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GgufTest {
    @TempDir
    Path dir;

    @Test
    void reads_metadata_and_tensor_shapes() throws IOException {
        Path model = RandomModels.model(dir.resolve("m.gguf"), RandomModels.Shape.TINY);
        Gguf g = Gguf.read(model);
        assertEquals(3, g.version());
        assertEquals("llama", g.string("general.architecture").orElseThrow());
        assertEquals(2L, g.number("llama.block_count").orElseThrow().longValue());
        assertArrayEquals(new long[]{64, 64}, g.tensors().get("blk.0.attn_q.weight").shape());
        assertTrue(g.metadata().get("tokenizer.ggml.tokens") instanceof Gguf.ArrayLength);
    }

    @Test
    void truncated_file_is_refused_with_the_reason() throws IOException {
        Path model = RandomModels.model(dir.resolve("m.gguf"), RandomModels.Shape.TINY);
        byte[] all = Files.readAllBytes(model);
        Path cut = Files.write(dir.resolve("cut.gguf"), Arrays.copyOf(all, all.length - 100));
        InvalidException e = assertThrows(InvalidException.class, () -> Gguf.read(cut));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        Path header = Files.write(dir.resolve("head.gguf"), Arrays.copyOf(all, 200));
        assertTrue(assertThrows(InvalidException.class, () -> Gguf.read(header)).getMessage().contains("truncated"));
    }

    @Test
    void other_files_and_hostile_lengths_are_refused() throws IOException {
        Path text = Files.writeString(dir.resolve("t.gguf"), "hello, not a model at all");
        assertTrue(assertThrows(InvalidException.class, () -> Gguf.read(text)).getMessage().contains("not a GGUF"));
        byte[] hostile = new byte[64];
        hostile[0] = 'G'; hostile[1] = 'G'; hostile[2] = 'U'; hostile[3] = 'F'; hostile[4] = 3;
        Arrays.fill(hostile, 8, 16, (byte) 0xff); // tensor count 2^64-1
        Path bad = Files.write(dir.resolve("h.gguf"), hostile);
        assertTrue(assertThrows(InvalidException.class, () -> Gguf.read(bad)).getMessage().contains("out of range"));
    }

    @Test
    void lora_check_accepts_a_matching_adapter_and_names_each_mismatch() throws IOException {
        Gguf model = Gguf.read(RandomModels.model(dir.resolve("m.gguf"), RandomModels.Shape.TINY));
        Gguf lora = Gguf.read(RandomModels.lora(dir.resolve("l.gguf"), RandomModels.Shape.TINY, 4, 8f, 1));
        var info = LoraCheck.check(model, lora, "a".repeat(64));
        assertEquals(4, info.rank());
        assertEquals(8f, info.alpha());
        assertEquals(4, info.targets().size());
        RandomModels.Shape deeper = new RandomModels.Shape("deeper", 64, 3, 4, 2, 128, 0, 1);
        Gguf deep = Gguf.read(RandomModels.lora(dir.resolve("d.gguf"), deeper, 4, 8f, 1));
        assertTrue(assertThrows(InvalidException.class, () -> LoraCheck.check(model, deep, "a".repeat(64)))
                .getMessage().contains("blk.2.attn_q.weight"));
        assertTrue(assertThrows(InvalidException.class, () -> LoraCheck.check(model, model, "a".repeat(64)))
                .getMessage().contains("not 'adapter'"));
    }
}
