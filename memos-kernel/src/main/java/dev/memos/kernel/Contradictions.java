package dev.memos.kernel;

import dev.memos.kernel.access.Principal;
import dev.memos.kernel.engine.EngineProvider;
import dev.memos.kernel.engine.Generation;
import dev.memos.kernel.engine.InferenceEngine;
import dev.memos.kernel.engine.Prompt;
import dev.memos.kernel.engine.Sampling;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.lineage.LineageFacts;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.TextPayload;
import dev.memos.kernel.model.Tier;
import dev.memos.kernel.search.SearchFilters;
import dev.memos.kernel.search.SearchHit;
import dev.memos.kernel.search.SearchMode;
import dev.memos.kernel.search.SearchRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The contradiction check: a new fact that contradicts a live one invalidates it (validTo, a reason naming the new
 * fact, and a CONTRADICTS lineage edge) instead of both staying valid. The nearest live facts of the space are
 * found by search; the engine judges each pair with a grammar that allows only {@code yes} or {@code no}, so its
 * answer always parses. The judgement is only as good as the model: with the random models of the tests only the
 * plumbing is shown, which is why the check is off unless asked for.
 */
public final class Contradictions {
    public static final int MAX_CANDIDATES = 20;
    static final String GRAMMAR = "root ::= \"yes\" | \"no\"";

    private final Retrieval retrieval;
    private final MemoryKernel kernel;
    private final EngineProvider engines;

    public Contradictions(Retrieval retrieval, MemoryKernel kernel, EngineProvider engines) {
        this.retrieval = Objects.requireNonNull(retrieval, "retrieval");
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        this.engines = Objects.requireNonNull(engines, "engines");
    }

    /** One judged pair: the live fact, and whether the engine said the new one contradicts it. */
    public record Verdict(CubeId cube, int version, boolean contradicted) {
    }

    /**
     * Judges the {@code candidates} nearest live plaintext facts of the new fact's space and invalidates each the
     * engine says it contradicts (WRITE on the space). Returns every verdict.
     */
    public List<Verdict> check(Principal actor, CubeId fresh, int candidates) {
        dev.memos.kernel.model.Check.range("candidates", candidates, 1, MAX_CANDIDATES);
        InferenceEngine engine = engines.require();
        MemCube cube = kernel.read(actor, fresh);
        if (!(cube.payload() instanceof TextPayload text)) {
            throw new InvalidException("cube", "cube " + fresh + " is " + cube.tier() + "; only plaintext facts are checked");
        }
        String query = text.text().length() > SearchRequest.MAX_QUERY ? text.text().substring(0, SearchRequest.MAX_QUERY)
                : text.text();
        // found by what they say: a time the fact names must not favour facts about that time over contradicting ones
        List<SearchHit> near = retrieval.search(actor, cube.space(), new SearchRequest(query, candidates + 1,
                SearchMode.HYBRID, new SearchFilters(null, null, Set.of(Tier.PLAINTEXT), null, null, null, null, null,
                null, null), false, true, null, null, SearchRequest.TimeUse.OFF, null));
        List<Verdict> verdicts = new ArrayList<>();
        for (SearchHit hit : near) {
            MemCube old = hit.cube();
            if (old.id().equals(cube.id()) || old.provenance().operation().invalidates() || verdicts.size() == candidates) {
                continue;
            }
            boolean contradicted = contradicts(engine, old.text(), text.text());
            if (contradicted) {
                kernel.invalidate(actor, old.id(), cube.time().validFrom(), "contradicted by " + cube.id() + "@"
                        + cube.version(), Map.of(LineageFacts.CONTRADICTED_BY, cube.id() + "@" + cube.version()));
            }
            verdicts.add(new Verdict(old.id(), old.version(), contradicted));
        }
        return verdicts;
    }

    /** The engine's judgement of one pair: the answer is {@code yes} or {@code no}, nothing else. */
    public static boolean contradicts(InferenceEngine engine, String old, String fresh) {
        String question = "Two statements about the same world.\nEarlier: " + old.strip() + "\nNow: " + fresh.strip()
                + "\nDoes the new statement contradict the earlier one (both cannot hold at once)? Answer yes or no.\n"
                + "Answer: ";
        Generation answer = engine.generate(new Prompt(null, engine.tokenize(question, true), List.of()),
                new Sampling(0, 1, 0, 4, List.of()), GRAMMAR, null);
        return answer.text().strip().equals("yes");
    }
}
