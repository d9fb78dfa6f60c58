package dev.memos.cubes.engine.llama;

import dev.memos.kernel.engine.AdapterUse;
import dev.memos.kernel.engine.Evaluation;
import dev.memos.kernel.engine.Generation;
import dev.memos.kernel.engine.InferenceEngine;
import dev.memos.kernel.engine.KvSnapshot;
import dev.memos.kernel.engine.Prompt;
import dev.memos.kernel.engine.Sampling;
import dev.memos.kernel.error.InvalidException;
import dev.memos.testkit.gguf.RandomModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded engine on a generated random-weight model: KV snapshots, adapters, generation, limits. */
class LlamaEngineTest {
    static final String MEMORY = "the user likes green tea and is allergic to peanuts. ";

    @TempDir
    static Path dir;
    static Path libraries;
    static Path modelFile;
    static LlamaEngine engine;

    @BeforeAll
    static void load() throws IOException {
        libraries = LlamaNatives.directory(Optional.empty(), dir.resolve("native"));
        modelFile = RandomModels.model(dir.resolve("tiny.gguf"), RandomModels.Shape.TINY);
        engine = open(modelFile);
    }

    static LlamaEngine open(Path model) {
        return LlamaEngine.open(libraries, new LlamaEngine.Settings(model, 1024, 2, 256));
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    /**
     * Restored and cold logits agree to float rounding, not bit for bit: a cold prompt decoded as one batch sums
     * in another order than a restored prefix plus a short suffix (and an adapter at scale 0 adds a zero term to the
     * graph). Logits here are of order 1; a wrong or shifted cache differs by far more than this.
     */
    static final float SAME = 0.01f;

    static void same(float[] expected, float[] actual) {
        assertTrue(maxDiff(expected, actual) <= SAME, "max |diff| " + maxDiff(expected, actual));
        assertEquals(Sampler.argmax(expected), Sampler.argmax(actual), "the same next token");
    }

    static float maxDiff(float[] a, float[] b) {
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    int[] prefix() {
        return engine.tokenize(MEMORY.repeat(4), true);
    }

    int[] suffix() {
        return engine.tokenize(" what does the user like?", false);
    }

    static int[] concat(int[] a, int[] b) {
        int[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void model_identity_names_the_file_and_its_shape() {
        assertEquals(dev.memos.kernel.model.Sha256.of(modelFile), engine.model().sha256());
        assertEquals("llama", engine.model().architecture());
        assertEquals("memos-tiny-random", engine.model().name());
        assertEquals(2, engine.model().layers());
        assertEquals(64, engine.model().embeddingLength());
        assertEquals(1024, engine.context().contextSize());
        assertEquals("f16", engine.context().kvType());
    }

    @Test
    void tokenize_and_detokenize_round_trip() {
        String text = "Bob lives in Paris, 42!";
        assertEquals(text, engine.detokenize(engine.tokenize(text, false)).strip());
    }

    @Test
    void restored_snapshot_gives_the_cold_prefill_logits_and_evaluates_only_the_suffix() {
        int[] prefix = prefix();
        int[] suffix = suffix();
        Evaluation cold = engine.evaluate(new Prompt(null, concat(prefix, suffix), List.of()));
        assertEquals(prefix.length + suffix.length, engine.libraryPromptTokens());

        KvSnapshot kv = engine.prefill(prefix, List.of()).kv();
        assertTrue(kv.state().length > 0);
        Evaluation warm = engine.evaluate(new Prompt(kv, suffix, List.of()));
        assertEquals(suffix.length, engine.libraryPromptTokens(), "only the suffix is evaluated after a restore");
        assertEquals(prefix.length, warm.timings().tokensRestored());
        assertEquals(suffix.length, warm.timings().tokensPrefilled());
        same(cold.logits(), warm.logits());
    }

    @Test
    void restored_snapshot_gives_exactly_the_logits_of_a_cold_prefill_of_the_same_block() {
        int[] prefix = prefix();
        int[] suffix = suffix();
        Evaluation cold = engine.evaluate(new Prompt(null, concat(prefix, suffix), List.of(), prefix.length));
        Evaluation warm = engine.evaluate(new Prompt(engine.prefill(prefix, List.of()).kv(), suffix, List.of()));
        assertArrayEquals(cold.logits(), warm.logits(), "bit for bit: the restored cache is the computed one");
        Generation g1 = engine.generate(new Prompt(null, concat(prefix, suffix), List.of(), prefix.length),
                new Sampling(0, 1, 0, 16, List.of()), null, null);
        Generation g2 = engine.generate(new Prompt(engine.prefill(prefix, List.of()).kv(), suffix, List.of()),
                new Sampling(0, 1, 0, 16, List.of()), null, null);
        assertEquals(g1.text(), g2.text());
    }

    @Test
    void snapshot_restores_into_a_fresh_engine_of_the_same_model() {
        int[] prefix = prefix();
        int[] suffix = suffix();
        KvSnapshot kv = engine.prefill(prefix, List.of()).kv();
        float[] cold = engine.evaluate(new Prompt(null, concat(prefix, suffix), List.of(), prefix.length)).logits();
        try (LlamaEngine fresh = open(modelFile)) {
            float[] warm = fresh.evaluate(new Prompt(kv, suffix, List.of())).logits();
            assertArrayEquals(cold, warm);
        }
    }

    @Test
    void snapshot_of_another_model_or_adapter_set_is_refused_with_the_reason() throws IOException {
        Path other = RandomModels.model(dir.resolve("other.gguf"), RandomModels.Shape.TINY.withSeed(99));
        KvSnapshot kv;
        try (LlamaEngine second = open(other)) {
            kv = second.prefill(prefix(), List.of()).kv();
        }
        InvalidException wrongModel = assertThrows(InvalidException.class,
                () -> engine.evaluate(new Prompt(kv, suffix(), List.of())));
        assertTrue(wrongModel.getMessage().contains("model"), wrongModel.getMessage());

        String sha = loadAdapter();
        KvSnapshot base = engine.prefill(prefix(), List.of()).kv();
        InvalidException wrongAdapters = assertThrows(InvalidException.class,
                () -> engine.evaluate(new Prompt(base, suffix(), List.of(new AdapterUse(sha, 1f)))));
        assertTrue(wrongAdapters.getMessage().contains("adapters"), wrongAdapters.getMessage());
    }

    String loadAdapter() throws IOException {
        Path lora = RandomModels.lora(dir.resolve("lora.gguf"), RandomModels.Shape.TINY, 4, 8f, 1);
        String sha = dev.memos.kernel.model.Sha256.of(lora);
        assertEquals(4, engine.loadAdapter(sha, lora).rank());
        return sha;
    }

    @Test
    void adapter_scale_zero_is_the_base_model_scale_one_differs_and_removal_restores_the_base() throws IOException {
        String sha = loadAdapter();
        int[] prompt = concat(prefix(), suffix());
        float[] base = engine.evaluate(new Prompt(null, prompt, List.of())).logits();
        float[] zero = engine.evaluate(new Prompt(null, prompt, List.of(new AdapterUse(sha, 0f)))).logits();
        float[] one = engine.evaluate(new Prompt(null, prompt, List.of(new AdapterUse(sha, 1f)))).logits();
        float[] removed = engine.evaluate(new Prompt(null, prompt, List.of())).logits();
        same(base, zero);
        assertTrue(maxDiff(base, one) > 100 * SAME, "scale 1 changes the logits: " + maxDiff(base, one));
        assertEquals(0f, maxDiff(base, removed), "removal gives the very base graph back");

        KvSnapshot adapted = engine.prefill(prefix(), List.of(new AdapterUse(sha, 1f))).kv();
        float[] warm = engine.evaluate(new Prompt(adapted, suffix(), List.of(new AdapterUse(sha, 1f)))).logits();
        same(one, warm);
    }

    @Test
    void adapter_for_another_base_model_is_refused_naming_the_mismatch() throws IOException {
        RandomModels.Shape wider = new RandomModels.Shape("wider", 128, 2, 4, 2, 128, 0, 5);
        Path lora = RandomModels.lora(dir.resolve("wider-lora.gguf"), wider, 4, 8f, 2);
        InvalidException e = assertThrows(InvalidException.class,
                () -> engine.loadAdapter(dev.memos.kernel.model.Sha256.of(lora), lora));
        assertTrue(e.getMessage().contains("another base model"), e.getMessage());
        assertThrows(InvalidException.class, () -> engine.loadAdapter("0".repeat(64), lora), "checksum mismatch");
        assertThrows(InvalidException.class, () -> engine.loadAdapter(dev.memos.kernel.model.Sha256.of(modelFile), modelFile),
                "a model is not an adapter");
    }

    @Test
    void greedy_generation_is_repeatable_and_respects_max_tokens_and_stop_strings() {
        int[] prompt = concat(prefix(), suffix());
        List<String> pieces = new ArrayList<>();
        Generation first = engine.generate(new Prompt(null, prompt, List.of()), new Sampling(0, 1, 0, 12, List.of()),
                null, pieces::add);
        Generation again = engine.generate(new Prompt(null, prompt, List.of()), new Sampling(0, 1, 0, 12, List.of()),
                null, null);
        assertEquals(first.text(), again.text());
        assertEquals(first.text(), String.join("", pieces), "the streamed pieces make up the answer");
        assertTrue(first.timings().tokensGenerated() <= 12);
        if (first.finish() == Generation.Finish.LENGTH) {
            assertEquals(12, first.timings().tokensGenerated());
        }
        assertTrue(first.timings().firstTokenMillis() > 0);
        if (first.text().length() > 2) {
            String stop = first.text().substring(first.text().length() / 2, first.text().length() / 2 + 1);
            Generation stopped = engine.generate(new Prompt(null, prompt, List.of()),
                    new Sampling(0, 1, 0, 12, List.of(stop)), null, null);
            assertEquals(Generation.Finish.STOP, stopped.finish());
            assertEquals(first.text().substring(0, first.text().indexOf(stop)), stopped.text());
        }
        Generation sampled = engine.generate(new Prompt(null, prompt, List.of()), new Sampling(1.0, 0.9, 7, 8, List.of()),
                null, null);
        assertEquals(sampled.text(), engine.generate(new Prompt(null, prompt, List.of()),
                new Sampling(1.0, 0.9, 7, 8, List.of()), null, null).text(), "the same seed samples the same answer");
    }

    @Test
    void generation_after_a_restored_prefix_equals_the_cold_one() {
        int[] prefix = prefix();
        int[] suffix = suffix();
        Sampling sampling = new Sampling(0, 1, 0, 10, List.of());
        Generation cold = engine.generate(new Prompt(null, concat(prefix, suffix), List.of(), prefix.length), sampling,
                null, null);
        KvSnapshot kv = engine.prefill(prefix, List.of()).kv();
        Generation warm = engine.generate(new Prompt(kv, suffix, List.of()), sampling, null, null);
        assertEquals(cold.text(), warm.text());
        assertEquals(prefix.length, warm.timings().tokensRestored());
        assertEquals(suffix.length, warm.timings().tokensPrefilled());
        assertEquals(0, cold.timings().tokensRestored());
    }

    @Test
    void grammar_constrains_the_output() {
        String grammar = "root ::= \"{\\\"n\\\": \" [1-9] [0-9]* \"}\"";
        Generation g = engine.generate(new Prompt(null, concat(prefix(), suffix()), List.of()),
                new Sampling(0, 1, 0, 16, List.of()), grammar, null);
        assertTrue(g.text().matches("\\{\"n\": [1-9][0-9]*\\}?"), g.text());
        if (g.finish() == Generation.Finish.STOP) {
            assertTrue(g.text().endsWith("}"), g.text());
        }
        assertThrows(InvalidException.class, () -> engine.generate(new Prompt(null, suffix(), List.of()),
                Sampling.GREEDY, "root ::= (", null));
    }

    @Test
    void a_prompt_beyond_the_context_is_refused_before_any_work() {
        int[] tooLong = new int[1100];
        java.util.Arrays.fill(tooLong, engine.tokenize("a", false)[0]);
        InvalidException e = assertThrows(InvalidException.class,
                () -> engine.evaluate(new Prompt(null, tooLong, List.of())));
        assertTrue(e.getMessage().contains("1024"), e.getMessage());
        assertThrows(InvalidException.class, () -> engine.prefill(tooLong, List.of()));
        assertThrows(InvalidException.class, () -> engine.generate(new Prompt(null, java.util.Arrays.copyOf(tooLong, 1024),
                List.of()), Sampling.GREEDY, null, null), "no room left for the answer");
        // the engine still works afterwards
        assertNotEquals(0, engine.evaluate(new Prompt(null, suffix(), List.of())).logits().length);
    }

    @Test
    void an_unknown_adapter_is_refused() {
        assertThrows(InvalidException.class, () -> engine.evaluate(new Prompt(null, suffix(),
                List.of(new AdapterUse("a".repeat(64), 1f)))));
    }

    @Test
    void snapshot_keeps_its_tokens() {
        int[] prefix = prefix();
        InferenceEngine.Snapshot s = engine.prefill(prefix, List.of());
        assertArrayEquals(prefix, s.kv().tokens());
        assertEquals(prefix.length, s.timings().tokensPrefilled());
    }
}
