package dev.memos.kernel;

import dev.memos.kernel.access.Principal;
import dev.memos.kernel.access.Role;
import dev.memos.kernel.engine.AdapterUse;
import dev.memos.kernel.engine.EngineProvider;
import dev.memos.kernel.engine.Generation;
import dev.memos.kernel.engine.InferenceEngine;
import dev.memos.kernel.engine.KvSnapshot;
import dev.memos.kernel.engine.MemoryPrompt;
import dev.memos.kernel.engine.ModelInfo;
import dev.memos.kernel.engine.Prompt;
import dev.memos.kernel.engine.Sampling;
import dev.memos.kernel.engine.Timings;
import dev.memos.kernel.error.ConflictException;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.lineage.VersionRef;
import dev.memos.kernel.model.CubeHead;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.Source;
import dev.memos.kernel.model.Tier;
import dev.memos.kernel.search.SearchFilters;
import dev.memos.kernel.search.SearchHit;
import dev.memos.kernel.search.SearchMode;
import dev.memos.kernel.search.SearchRequest;
import dev.memos.kernel.spi.CubeStore;
import dev.memos.kernel.spi.DirectoryStore;
import dev.memos.kernel.spi.Transactions;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Memory-augmented chat: retrieve plaintext memories for the last user message, restore the space's activation
 * cube when it fits (skipping the prefill of the memories it holds), apply the space's parameter cubes as
 * adapters, generate, and name every cube used. Optionally the exchange is written back as message cubes.
 */
public final class Chat {
    public static final int MAX_MESSAGES = 64;
    public static final int MAX_MESSAGE = 16_384;
    public static final int MAX_ADAPTERS = 8;

    private final Retrieval retrieval;
    private final Tiers tiers;
    private final MemoryKernel kernel;
    private final CubeStore cubes;
    private final Transactions transactions;
    private final EngineProvider engines;
    private final Guard guard;

    public Chat(Retrieval retrieval, Tiers tiers, MemoryKernel kernel, CubeStore cubes, DirectoryStore directory,
                Transactions transactions, EngineProvider engines) {
        this.retrieval = Objects.requireNonNull(retrieval, "retrieval");
        this.tiers = Objects.requireNonNull(tiers, "tiers");
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        this.cubes = Objects.requireNonNull(cubes, "cubes");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.engines = Objects.requireNonNull(engines, "engines");
        this.guard = new Guard(Objects.requireNonNull(directory, "directory"), cubes);
    }

    /** A parameter cube to apply, with a scale (null: the scale it was imported with). */
    public record AdapterChoice(CubeId cube, Float scale) {
        public AdapterChoice {
            Objects.requireNonNull(cube, "cube");
        }
    }

    /**
     * @param messages the conversation, oldest first; the last is the user's
     * @param k memories to retrieve (0: none)
     * @param useActivation whether a compatible, fresh activation cube of the space may replace the prefill
     * @param adapters parameter cubes to apply; null applies every live parameter cube of the space at its scale
     * @param remember write the last user message and the answer back as message cubes
     * @param idempotencyKey makes a remembered exchange's writes idempotent
     */
    public record Request(List<MemoryPrompt.Turn> messages, int k, SearchMode mode, SearchFilters filters,
                          boolean useActivation, List<AdapterChoice> adapters, Sampling sampling, boolean remember,
                          String sessionId, String idempotencyKey) {
        public Request {
            if (messages == null || messages.isEmpty() || messages.size() > MAX_MESSAGES) {
                throw new InvalidException("messages", "1 … " + MAX_MESSAGES + " messages");
            }
            for (MemoryPrompt.Turn turn : messages) {
                if (turn == null || !Set.of("system", "user", "assistant").contains(turn.role())) {
                    throw new InvalidException("messages", "each message needs a role of system, user or assistant");
                }
                dev.memos.kernel.model.Check.text("messages.content", turn.content(), MAX_MESSAGE);
            }
            if (!messages.getLast().role().equals("user")) {
                throw new InvalidException("messages", "the last message must be the user's");
            }
            dev.memos.kernel.model.Check.range("k", k, 0, SearchRequest.MAX_K);
            filters = filters == null ? SearchFilters.NONE : filters;
            sampling = sampling == null ? Sampling.GREEDY : sampling;
            if (adapters != null && adapters.size() > MAX_ADAPTERS) {
                throw new InvalidException("adapters", "at most " + MAX_ADAPTERS);
            }
            dev.memos.kernel.model.Check.optionalText("idempotencyKey", idempotencyKey, 100);
        }

        String question() {
            return messages.getLast().content();
        }
    }

    /** A cube an answer used: a retrieved memory, the restored activation cube, or an applied adapter. */
    public record Used(CubeId id, int version, Tier tier, String as, Float scale) {
    }

    /**
     * @param activationSkipped why no activation cube was restored (null when one was)
     * @param remembered the message cubes written back (empty unless asked)
     */
    public record Answer(String text, Generation.Finish finish, List<Used> cubes, String activationSkipped,
                         Timings timings, ModelInfo model, List<CubeId> remembered) {
    }

    /** What can fail before an answer starts: no engine, no access. A streamed chat checks this first. */
    public void check(Principal actor, String space, Request request) {
        engines.require();
        transactions.inTransaction(() -> guard.space(actor, space, request.remember() ? Role.WRITE : Role.READ));
    }

    public Answer chat(Principal actor, String space, Request request, Consumer<String> onText) {
        InferenceEngine engine = engines.require();
        transactions.inTransaction(() -> guard.space(actor, space, request.remember() ? Role.WRITE : Role.READ));
        List<MemCube> memories = request.k() == 0 ? List.of() : retrieval.search(actor, space, new SearchRequest(
                        question(request), request.k(), request.mode(), plaintextOnly(request.filters()), false, false))
                .stream().map(SearchHit::cube).toList();
        List<Used> used = new ArrayList<>();
        List<AdapterUse> adapters = adapters(actor, space, request.adapters(), used);

        MemCube activation = null;
        KvSnapshot snapshot = null;
        String skipped = request.useActivation() ? null : "not asked for (useActivation false)";
        if (request.useActivation()) {
            List<MemCube> candidates = transactions.inTransaction(() ->
                    cubes.findInTier(space, Tier.ACTIVATION, actor.id(), 20));
            StringBuilder why = new StringBuilder();
            for (MemCube candidate : candidates) {
                String problem = problem(actor, engine, candidate, adapters);
                if (problem == null) {
                    try {
                        snapshot = tiers.snapshot(candidate);
                        activation = candidate;
                        break;
                    } catch (ConflictException damaged) {
                        problem = damaged.getMessage();
                    }
                }
                why.append(why.isEmpty() ? "" : "; ").append(candidate.id()).append(": ").append(problem);
            }
            if (activation == null) {
                skipped = candidates.isEmpty() ? "the space has no activation cube" : why.toString();
            }
        }

        Set<CubeId> inPrefix = new LinkedHashSet<>();
        int[] prefixTokens;
        if (activation != null) {
            Activations.sources(activation).forEach(s -> inPrefix.add(s.cube()));
            used.add(new Used(activation.id(), activation.version(), Tier.ACTIVATION, "activation", null));
            for (VersionRef source : Activations.sources(activation)) {
                used.add(new Used(source.cube(), source.version(), Tier.PLAINTEXT, "memory (in activation)", null));
            }
            prefixTokens = null;
        } else {
            prefixTokens = engine.tokenize(MemoryPrompt.prefix(memories.stream().map(MemCube::text).toList()), true);
            memories.forEach(m -> inPrefix.add(m.id()));
        }
        List<String> more = new ArrayList<>(); // retrieved memories the restored block does not hold follow it
        for (MemCube memory : memories) {
            if (activation == null || !inPrefix.contains(memory.id())) {
                used.add(new Used(memory.id(), memory.version(), Tier.PLAINTEXT, "memory", null));
                if (activation != null) {
                    more.add(memory.text());
                }
            }
        }
        String suffix = MemoryPrompt.suffix(more, request.messages());
        int[] suffixTokens = engine.tokenize(suffix, false);
        int[] promptTokens = prefixTokens == null ? suffixTokens : concat(prefixTokens, suffixTokens);
        Sampling sampling = withTurnStops(request.sampling());
        Prompt prompt = new Prompt(snapshot, promptTokens, adapters, prefixTokens == null ? 0 : prefixTokens.length);
        Generation generation = engine.generate(prompt, sampling, null, onText);

        List<CubeId> remembered = request.remember() ? remember(actor, space, request, generation.text(), used)
                : List.of();
        return new Answer(generation.text(), generation.finish(), used, skipped, generation.timings(), engine.model(),
                remembered);
    }

    private static String question(Request request) {
        String q = request.question().strip();
        return q.length() > SearchRequest.MAX_QUERY ? q.substring(0, SearchRequest.MAX_QUERY) : q;
    }

    /** Why an activation cube cannot serve this chat (another model, context or adapter set, or stale); null if it can. */
    private String problem(Principal actor, InferenceEngine engine, MemCube candidate, List<AdapterUse> adapters) {
        var blob = (dev.memos.kernel.model.BlobPayload) candidate.payload();
        String context = engine.context().contextSize() + "/" + engine.context().kvType();
        if (!engine.model().sha256().equals(blob.attributes().get(Tiers.MODEL_SHA256))) {
            return "compiled for model " + blob.model() + ", the engine runs " + engine.model().label();
        }
        if (!context.equals(blob.attributes().get(Tiers.CONTEXT))) {
            return "compiled in context " + blob.attributes().get(Tiers.CONTEXT) + ", the engine runs " + context;
        }
        String wanted = dev.memos.kernel.engine.ActivationBlob.adapterList(adapters);
        if (!wanted.equals(blob.attributes().get(Tiers.ADAPTERS))) {
            return "compiled with adapters " + blob.attributes().get(Tiers.ADAPTERS) + ", this chat applies " + wanted;
        }
        List<VersionRef> sources = Activations.sources(candidate);
        Map<CubeId, CubeHead> heads = transactions.inTransaction(() ->
                cubes.findHeads(sources.stream().map(VersionRef::cube).toList(), actor.id()));
        for (VersionRef source : sources) {
            CubeHead head = heads.get(source.cube());
            if (head == null || !SearchFilters.DEFAULT_STATES.contains(head.state())) {
                return "stale: source " + source.cube() + " is gone or no longer live";
            }
            if (head.version() != source.version()) {
                return "stale: source " + source.cube() + " is at version " + head.version() + ", compiled from "
                        + source.version();
            }
        }
        return null;
    }

    private List<AdapterUse> adapters(Principal actor, String space, List<AdapterChoice> chosen, List<Used> used) {
        List<AdapterUse> out = new ArrayList<>();
        if (chosen == null) {
            List<MemCube> all = transactions.inTransaction(() -> cubes.findInTier(space, Tier.PARAMETER, actor.id(),
                    MAX_ADAPTERS));
            for (MemCube parameter : all) {
                AdapterUse use = tiers.adapter(parameter, null);
                out.add(use);
                used.add(new Used(parameter.id(), parameter.version(), Tier.PARAMETER, "adapter", use.scale()));
            }
            return out;
        }
        for (AdapterChoice choice : chosen) {
            MemCube parameter = transactions.inTransaction(() -> guard.cube(actor, choice.cube(), Role.READ));
            if (!parameter.space().equals(space) || parameter.tier() != Tier.PARAMETER) {
                throw new InvalidException("adapters", "cube " + choice.cube() + " is not a parameter cube of space '"
                        + space + "'");
            }
            AdapterUse use = tiers.adapter(parameter, choice.scale());
            out.add(use);
            used.add(new Used(parameter.id(), parameter.version(), Tier.PARAMETER, "adapter", use.scale()));
        }
        return out;
    }

    private List<CubeId> remember(Principal actor, String space, Request request, String answer, List<Used> used) {
        String key = request.idempotencyKey();
        List<CubeId> memories = used.stream().filter(u -> u.tier() == Tier.PLAINTEXT).map(Used::id).distinct()
                .limit(dev.memos.kernel.model.Limits.MAX_DERIVED_FROM).toList();
        MemCube question = kernel.write(actor, space, new NewCube(request.question(), "message", List.of("chat", "user"),
                Source.CONVERSATION, null, request.sessionId(), null, null, null, null, null, null,
                key == null ? null : key + ":user")).cube();
        List<MemCube> written = new ArrayList<>(List.of(question));
        if (!answer.isBlank()) {
            written.add(kernel.write(actor, space, new NewCube(answer.strip(), "message", List.of("chat", "assistant"),
                    Source.CONVERSATION, null, request.sessionId(), null, null, null, null, null, null,
                    key == null ? null : key + ":assistant", memories)).cube());
        }
        return written.stream().map(MemCube::id).toList();
    }

    private static SearchFilters plaintextOnly(SearchFilters f) {
        return new SearchFilters(f.kinds(), f.tags(), Set.of(Tier.PLAINTEXT), f.states(), f.validAt(), f.recordedFrom(),
                f.recordedTo(), f.sensitivity(), f.excludeSensitivity(), f.purpose());
    }

    private static Sampling withTurnStops(Sampling s) {
        List<String> stops = new ArrayList<>(s.stop());
        for (String stop : MemoryPrompt.turnStops()) {
            if (!stops.contains(stop) && stops.size() < 8) {
                stops.add(stop);
            }
        }
        return new Sampling(s.temperature(), s.topP(), s.seed(), s.maxTokens(), stops);
    }

    private static int[] concat(int[] a, int[] b) {
        int[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
