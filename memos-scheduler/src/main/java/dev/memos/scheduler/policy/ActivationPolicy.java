package dev.memos.scheduler.policy;

import dev.memos.kernel.Activations;
import dev.memos.kernel.Decisions;
import dev.memos.kernel.Tiers;
import dev.memos.kernel.engine.EngineProvider;
import dev.memos.kernel.engine.InferenceEngine;
import dev.memos.kernel.engine.MemoryPrompt;
import dev.memos.kernel.event.Decision;
import dev.memos.kernel.model.BlobPayload;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.Tier;
import dev.memos.kernel.spi.CubeStore;
import dev.memos.kernel.spi.PolicyQueries;
import dev.memos.kernel.spi.Transactions;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps each hot space's working set compiled into one activation cube, so chat restores it instead of
 * prefilling it. For every space with accessed plaintext cubes (hottest first): the hottest cubes whose memory
 * lines fit {@link Settings#maxTokens()} form the set (in id order, so a reshuffle of heat alone changes
 * nothing); when the space's activation cube made by this policy holds exactly those versions it is left alone,
 * otherwise a new one is compiled and the previous ones are retired. A result over {@link Settings#maxBytes()} is
 * retired at once. Every compile and retirement is an event with its reason (the scheduler log).
 */
public final class ActivationPolicy {
    private static final Logger LOG = Logger.getLogger(ActivationPolicy.class);
    static final String POLICY = "activation";

    /**
     * @param maxTokens token budget of a space's memory block
     * @param maxBytes byte budget of its KV state
     * @param maxSpaces spaces looked at per run
     * @param candidates hottest cubes considered per space
     */
    public record Settings(int maxTokens, long maxBytes, int maxSpaces, int candidates) {
    }

    private final Tiers tiers;
    private final Decisions decisions;
    private final CubeStore cubes;
    private final PolicyQueries queries;
    private final Transactions transactions;
    private final EngineProvider engines;
    private final Settings settings;

    public ActivationPolicy(Tiers tiers, Decisions decisions, CubeStore cubes, PolicyQueries queries,
                            Transactions transactions,
                            EngineProvider engines, Settings settings) {
        this.tiers = tiers;
        this.decisions = decisions;
        this.cubes = cubes;
        this.queries = queries;
        this.transactions = transactions;
        this.engines = engines;
        this.settings = settings;
    }

    /** Activation cubes compiled in this run (0 without an engine). */
    public int runOnce() {
        Optional<InferenceEngine> engine = engines.current();
        if (engine.isEmpty()) {
            return 0;
        }
        int compiled = 0;
        for (String space : transactions.inTransaction(() -> queries.findHotSpaces(settings.maxSpaces()))) {
            try {
                compiled += space(engine.get(), space) ? 1 : 0;
            } catch (RuntimeException e) {
                LOG.warnf("activation policy: space %s skipped this run: %s", space, e.getMessage());
            }
        }
        return compiled;
    }

    /** Runs the policy for one space; true when it compiled a new activation cube. */
    public boolean runSpace(String space) {
        return engines.current().map(engine -> space(engine, space)).orElse(false);
    }

    private boolean space(InferenceEngine engine, String space) {
        retireStale(space);
        List<MemCube> hottest = transactions.inTransaction(() -> queries.findHottest(space, settings.candidates()));
        List<MemCube> chosen = new ArrayList<>();
        int tokens = engine.tokenize(MemoryPrompt.prefix(List.of()), true).length;
        for (MemCube cube : hottest) {
            int more = engine.tokenize(MemoryPrompt.prefix(List.of(cube.text())), false).length - tokens + 1;
            if (tokens + more > settings.maxTokens()) {
                continue;
            }
            tokens += more;
            chosen.add(cube);
        }
        if (chosen.isEmpty()) {
            return false;
        }
        chosen.sort(Comparator.comparing(MemCube::id));
        String wanted = String.join(",", chosen.stream().map(c -> c.id() + "@" + c.version()).toList());
        List<MemCube> mine = transactions.inTransaction(() -> cubes.findInTier(space, Tier.ACTIVATION, null, 1_000))
                .stream().filter(c -> Decision.SCHEDULER.equals(c.provenance().actor())).toList();
        String model = engine.model().sha256();
        if (mine.stream().anyMatch(c -> wanted.equals(attribute(c, Tiers.SOURCES))
                && model.equals(attribute(c, Tiers.MODEL_SHA256)))) {
            return false;
        }
        Decision decision = new Decision(POLICY, "the space's " + chosen.size() + " hottest memories ("
                + tokens + " tokens) are not compiled for model " + engine.model().label(),
                Map.of("sources", Integer.toString(chosen.size()), "tokens", Integer.toString(tokens),
                        "maxTokens", Integer.toString(settings.maxTokens()), "hottestHeat",
                        Double.toString(hottest.getFirst().usage().heat())));
        Optional<Tiers.Made> made = tiers.compileForSystem(space, chosen.stream().map(MemCube::id).toList(), decision);
        if (made.isEmpty()) {
            return false;
        }
        MemCube cube = made.get().cube();
        long size = ((BlobPayload) cube.payload()).size();
        if (size > settings.maxBytes()) {
            retire(cube, "its KV state is " + size + " bytes, over the budget of " + settings.maxBytes());
            return false;
        }
        for (MemCube old : mine) {
            if (!old.id().equals(cube.id())) {
                retire(old, "replaced by " + cube.id() + " (the working set or its versions changed)");
            }
        }
        LOG.infof("activation policy: space %s compiled %d memories (%d tokens) into %s", space, chosen.size(), tokens,
                cube.id());
        return made.get().created();
    }

    /**
     * Retires the space's activation cubes (whoever compiled them) whose sources changed or left the live states:
     * chat would never restore them again. Compiling anew is this policy's job for the hot set, a principal's
     * otherwise.
     */
    private void retireStale(String space) {
        for (MemCube activation : transactions.inTransaction(() -> cubes.findInTier(space, Tier.ACTIVATION, null, 1_000))) {
            String stale = transactions.inTransaction(() -> {
                for (dev.memos.kernel.lineage.VersionRef source : Activations.sources(activation)) {
                    Optional<MemCube> live = cubes.findForSystem(source.cube());
                    if (live.isEmpty() || live.get().version() != source.version()
                            || !dev.memos.kernel.search.SearchFilters.DEFAULT_STATES.contains(live.get().state())) {
                        return "stale: its source " + source.cube() + " is "
                                + (live.isEmpty() ? "gone" : "at version " + live.get().version() + " and "
                                + live.get().state()) + ", it was compiled from version " + source.version();
                    }
                }
                return null;
            });
            if (stale != null) {
                retire(activation, stale);
            }
        }
    }

    private void retire(MemCube cube, String reason) {
        decisions.decide(cube.id(), cube.state(), LifecycleState.DELETED, new Decision(POLICY, reason,
                Map.of("activation", cube.id().toString())));
    }

    private static String attribute(MemCube cube, String key) {
        return cube.payload() instanceof BlobPayload b ? b.attributes().get(key) : null;
    }
}
