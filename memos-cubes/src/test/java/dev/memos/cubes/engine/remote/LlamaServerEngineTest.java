package dev.memos.cubes.engine.remote;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memos.cubes.engine.llama.LlamaEngine;
import dev.memos.cubes.engine.llama.LlamaNatives;
import dev.memos.kernel.engine.AdapterUse;
import dev.memos.kernel.engine.Generation;
import dev.memos.kernel.engine.InferenceEngine;
import dev.memos.kernel.engine.KvSnapshot;
import dev.memos.kernel.engine.Prompt;
import dev.memos.kernel.engine.Sampling;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.error.UnavailableException;
import dev.memos.testkit.gguf.RandomModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The remote engine against a stand-in that speaks llama-server's endpoints on the real embedded engine. */
class LlamaServerEngineTest {
    @TempDir
    static Path dir;
    static LlamaEngine local;
    static LlamaServerStandIn server;
    static LlamaServerEngine remote;
    static Path lora;
    static String loraSha;

    @BeforeAll
    static void start() throws Exception {
        Path model = RandomModels.model(dir.resolve("tiny.gguf"), RandomModels.Shape.TINY);
        lora = RandomModels.lora(dir.resolve("lora.gguf"), RandomModels.Shape.TINY, 4, 8f, 1);
        loraSha = LlamaServerStandIn.sha(lora);
        local = LlamaEngine.open(LlamaNatives.directory(Optional.empty(), dir.resolve("native")),
                new LlamaEngine.Settings(model, 1024, 2, 256));
        Files.createDirectories(dir.resolve("slots"));
        server = new LlamaServerStandIn(local, List.of(lora), dir.resolve("slots"));
        remote = new LlamaServerEngine(new LlamaServerEngine.Settings(server.uri(), null, 0, Map.of(loraSha, 0), null),
                new ObjectMapper());
    }

    @AfterAll
    static void stop() {
        server.close();
        local.close();
    }

    int[] prefix() {
        return remote.tokenize("the user likes green tea and is allergic to peanuts. ".repeat(3), true);
    }

    int[] suffix() {
        return remote.tokenize(" what does the user like?", false);
    }

    @Test
    void identity_context_and_tokenizer_come_from_the_server() {
        assertEquals(1024, remote.context().contextSize());
        assertTrue(remote.context().kvType().startsWith("server-slot@127.0.0.1:"));
        assertEquals("tiny", remote.model().name());
        assertArrayEquals(local.tokenize("Bob lives in Paris", true), remote.tokenize("Bob lives in Paris", true));
        assertEquals("Bob lives in Paris", remote.detokenize(remote.tokenize("Bob lives in Paris", false)).strip());
    }

    @Test
    void a_saved_slot_restores_and_only_the_suffix_is_evaluated() {
        int[] prefix = prefix();
        int[] suffix = suffix();
        Sampling sampling = new Sampling(0, 1, 0, 10, List.of());
        InferenceEngine.Snapshot snapshot = remote.prefill(prefix, List.of());
        assertEquals(prefix.length, snapshot.timings().tokensPrefilled());
        KvSnapshot kv = snapshot.kv();
        assertTrue(new String(kv.state()).contains("slotFile"), "the state stays on the server; the cube keeps a reference");

        List<String> pieces = new ArrayList<>();
        Generation warm = remote.generate(new Prompt(kv, suffix, List.of()), sampling, null, pieces::add);
        assertEquals(prefix.length, warm.timings().tokensRestored());
        assertEquals(suffix.length, warm.timings().tokensPrefilled());
        assertEquals(warm.text(), String.join("", pieces), "streamed pieces make up the answer");

        int[] all = java.util.Arrays.copyOf(prefix, prefix.length + suffix.length);
        System.arraycopy(suffix, 0, all, prefix.length, suffix.length);
        Generation cold = remote.generate(new Prompt(null, all, List.of()), sampling, null, null);
        assertEquals(0, cold.timings().tokensRestored());
        assertEquals(all.length, cold.timings().tokensPrefilled());
        Generation embedded = local.generate(new Prompt(local.prefill(prefix, List.of()).kv(), suffix, List.of()),
                sampling, null, null);
        assertEquals(embedded.text(), warm.text(), "the remote answer is the model's");
    }

    @Test
    void adapters_go_in_every_request_and_must_be_mapped() {
        assertThrows(InvalidException.class, () -> remote.loadAdapter("e".repeat(64), lora), "unmapped");
        assertEquals(4, remote.loadAdapter(loraSha, lora).rank());
        remote.generate(new Prompt(null, suffix(), List.of()), new Sampling(0, 1, 0, 2, List.of()), null, null);
        assertEquals(0, server.lastCompletion.path("lora").size(), "an explicit empty list, never a missing field");
        remote.generate(new Prompt(null, suffix(), List.of(new AdapterUse(loraSha, 0.5f))),
                new Sampling(0, 1, 0, 2, List.of()), null, null);
        assertEquals(0, server.lastCompletion.path("lora").get(0).path("id").asInt());
        assertEquals(0.5, server.lastCompletion.path("lora").get(0).path("scale").asDouble(), 1e-6);
    }

    @Test
    void snapshots_of_another_engine_and_prompts_beyond_the_context_are_refused() {
        KvSnapshot embedded = local.prefill(prefix(), List.of()).kv();
        InvalidException e = assertThrows(InvalidException.class, () -> remote.generate(new Prompt(embedded, suffix(),
                List.of()), Sampling.GREEDY, null, null));
        assertTrue(e.getMessage().contains("model"), e.getMessage());
        KvSnapshot remoteKv = remote.prefill(prefix(), List.of()).kv();
        assertThrows(InvalidException.class, () -> local.evaluate(new Prompt(remoteKv, suffix(), List.of())));
        assertThrows(InvalidException.class, () -> remote.generate(new Prompt(null, new int[1100], List.of()),
                Sampling.GREEDY, null, null));
        assertThrows(UnavailableException.class, () -> remote.evaluate(new Prompt(null, suffix(), List.of())));
    }

    @Test
    void an_unreachable_server_is_unavailable() {
        assertThrows(UnavailableException.class, () -> new LlamaServerEngine(new LlamaServerEngine.Settings(
                java.net.URI.create("http://127.0.0.1:1"), null, 0, Map.of(), null), new ObjectMapper()));
    }
}
