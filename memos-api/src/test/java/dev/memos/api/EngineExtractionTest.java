package dev.memos.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memos.cubes.engine.llama.LlamaEngine;
import dev.memos.cubes.engine.llama.LlamaNatives;
import dev.memos.kernel.Contradictions;
import dev.memos.kernel.engine.EngineProvider;
import dev.memos.kernel.engine.Generation;
import dev.memos.kernel.engine.InferenceEngine;
import dev.memos.kernel.engine.Prompt;
import dev.memos.kernel.engine.Sampling;
import dev.memos.kernel.spi.Extractor;
import dev.memos.scheduler.ingest.EngineExtractor;
import dev.memos.testkit.gguf.RandomModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Engine-backed extraction and the contradiction judge on a random model: the output always follows the grammar
 * (and so always parses); what the facts say is noise, as the model is. This is the plumbing, not the quality.
 */
class EngineExtractionTest {
    @TempDir
    static Path dir;
    static LlamaEngine engine;
    static EngineProvider provider;

    @BeforeAll
    static void load() throws Exception {
        Path model = RandomModels.model(dir.resolve("tiny.gguf"), RandomModels.Shape.TINY);
        engine = LlamaEngine.open(LlamaNatives.directory(Optional.empty(), dir.resolve("native")),
                new LlamaEngine.Settings(model, 2048, 2, 256));
        provider = new EngineProvider() {
            @Override
            public Optional<InferenceEngine> current() {
                return Optional.of(engine);
            }

            @Override
            public InferenceEngine require() {
                return engine;
            }
        };
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void the_fact_grammar_admits_only_json_that_parses() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (String text : List.of("Ann moved to Oslo in May.", "Bob: I hate mushrooms. Carol: I love them!")) {
            Generation g = engine.generate(new Prompt(null, engine.tokenize("Facts of: " + text + "\nJSON: ", true), List.of()),
                    new Sampling(0.8, 0.95, text.length(), 600, List.of()), EngineExtractor.GRAMMAR, null);
            assertTrue(g.text().startsWith("{\"facts\": ["), g.text());
            if (g.finish() == Generation.Finish.STOP) {
                JsonNode parsed = json.readTree(g.text());
                for (JsonNode fact : parsed.path("facts")) {
                    assertFalse(fact.path("text").asText().isEmpty());
                }
            }
        }
    }

    @Test
    void extraction_keeps_whole_facts_with_their_source_and_time() {
        Instant at = Instant.parse("2024-05-01T10:00:00Z");
        List<Extractor.Fact> facts = new EngineExtractor(provider, 300).extract(new Extractor.Material(
                List.of(new Extractor.Message("Ann", "I moved to Oslo last week and I love it.", at)), null, null,
                "chat-1", at));
        for (int i = 0; i < facts.size(); i++) {
            Extractor.Fact f = facts.get(i);
            assertFalse(f.text().isBlank());
            assertFalse(f.text().contains("\""), f.text());
            assertEquals(at, f.time());
            assertEquals("Ann", f.speaker());
            assertEquals("chat-1#" + (i + 1), f.sourceRef());
        }
    }

    @Test
    void the_contradiction_judge_answers_yes_or_no_only() {
        for (String[] pair : List.of(new String[]{"Dan lives in Rome", "Dan lives in Lima"},
                new String[]{"Eve is 30", "Eve likes tea"}, new String[]{"the sky is green", "the sky is not green"})) {
            String question = "Earlier: " + pair[0] + "\nNow: " + pair[1] + "\nAnswer: ";
            Generation g = engine.generate(new Prompt(null, engine.tokenize(question, true), List.of()),
                    new Sampling(1.0, 1, 3, 4, List.of()), "root ::= \"yes\" | \"no\"", null);
            assertTrue(Set.of("yes", "no").contains(g.text()), g.text());
            Contradictions.contradicts(engine, pair[0], pair[1]); // greedy: runs, parses
        }
    }
}
