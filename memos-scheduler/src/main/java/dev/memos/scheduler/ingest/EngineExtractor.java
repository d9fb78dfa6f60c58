package dev.memos.scheduler.ingest;

import dev.memos.kernel.engine.EngineProvider;
import dev.memos.kernel.engine.Generation;
import dev.memos.kernel.engine.InferenceEngine;
import dev.memos.kernel.engine.Prompt;
import dev.memos.kernel.engine.Sampling;
import dev.memos.kernel.spi.Extractor;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Extraction by the inference engine: the model reads the material and writes the facts worth keeping as JSON,
 * under a GBNF grammar ({@link #GRAMMAR}) that admits only {@code {"facts": [{"text": "…"}, …]}} with plain strings
 * (no quotes, backslashes or control characters inside), so the output always parses, also when the token limit
 * cuts it short (the complete facts so far are kept). How good the facts are depends on the model; with the tests'
 * random models only the plumbing is shown, which is why {@code memos.ingest.extractor} defaults to the offline
 * {@link SentenceExtractor}.
 */
public final class EngineExtractor implements Extractor {
    /** At most 32 facts of at most 300 characters each. */
    public static final String GRAMMAR = """
            root ::= "{\\"facts\\": [" ( fact ( ", " fact ){0,31} )? "]}"
            fact ::= "{\\"text\\": \\"" char{1,300} "\\"}"
            char ::= [^"\\\\\\x00-\\x1f]
            """;
    private static final Pattern FACT = Pattern.compile("\\{\"text\": \"([^\"\\\\\\x00-\\x1f]{1,300})\"}");

    private final EngineProvider engines;
    private final int maxTokens;

    public EngineExtractor(EngineProvider engines, int maxTokens) {
        this.engines = Objects.requireNonNull(engines, "engines");
        this.maxTokens = maxTokens;
    }

    @Override
    public List<Fact> extract(Material material) {
        InferenceEngine engine = engines.require();
        StringBuilder prompt = new StringBuilder("Write down the facts worth remembering from the following ")
                .append(material.messages().isEmpty() ? "document" : "conversation")
                .append(", one short self-contained sentence each, naming who they are about.\n\n");
        if (material.messages().isEmpty()) {
            if (material.title() != null) {
                prompt.append(material.title().strip()).append("\n");
            }
            prompt.append(material.document().strip()).append("\n");
        } else {
            for (Message m : material.messages()) {
                prompt.append(m.speaker() == null ? "someone" : m.speaker()).append(": ").append(m.text().strip()).append('\n');
            }
        }
        prompt.append("\nFacts as JSON: ");
        int[] tokens = engine.tokenize(prompt.toString(), true);
        int room = Math.min(maxTokens, engine.context().contextSize() - tokens.length - 1);
        if (room < 8) {
            throw new dev.memos.kernel.error.InvalidException("text", "the material is " + tokens.length
                    + " tokens; the engine's context of " + engine.context().contextSize() + " leaves no room to answer");
        }
        Generation output = engine.generate(new Prompt(null, tokens, List.of()), new Sampling(0, 1, 0, room, List.of()),
                GRAMMAR, null);
        List<Fact> facts = new ArrayList<>();
        Matcher m = FACT.matcher(output.text());
        String speaker = material.messages().size() == 1 ? material.messages().getFirst().speaker() : null;
        while (m.find()) {
            String text = m.group(1).strip();
            if (!text.isEmpty()) {
                String ref = material.sourceRef() == null ? null : material.sourceRef() + "#" + (facts.size() + 1);
                facts.add(new Fact(text, speaker, material.time(), ref));
            }
        }
        return facts;
    }
}
