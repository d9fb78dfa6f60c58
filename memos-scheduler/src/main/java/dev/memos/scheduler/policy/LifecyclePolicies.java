package dev.memos.scheduler.policy;

import dev.memos.kernel.Decisions;
import dev.memos.kernel.event.Decision;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.Lifecycle;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.TextPayload;
import dev.memos.kernel.spi.PolicyQueries;
import dev.memos.kernel.spi.SystemCubeStore;
import dev.memos.kernel.spi.Transactions;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The timer-driven lifecycle policies, each switchable, on an injected clock (tests advance it):
 * <ul>
 *   <li><b>ttl</b>: a cube past its {@code expiresAt} becomes DELETED with its payload purged. A FROZEN
 *       cube (pinned: never expires) is left alone.</li>
 *   <li><b>demotion</b>: an ACTIVATED cube not accessed for {@code coldAfter} (or, never accessed,
 *       recorded that long ago) moves to ARCHIVED; searches skip it by default, reads still find it.</li>
 *   <li><b>consolidation</b>: GENERATED or ACTIVATED cubes of one space with identical text are fused
 *       into one new cube ({@link Decisions#consolidate}); the sources become MERGED. With a
 *       {@link NearDuplicates} finder, near-duplicates are fused too, keeping the most complete wording.</li>
 * </ul>
 * Every move goes through {@link Decisions#decide}: an event with the policy, the reason and its
 * inputs, which the scheduler log shows. A cube a user moved meanwhile is skipped.
 */
public final class LifecyclePolicies implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LifecyclePolicies.class);
    private static final Set<LifecycleState> DELETABLE = deletable();

    /** Switches and thresholds. */
    public record Settings(boolean ttl, boolean demotion, Duration coldAfter, boolean consolidation, Duration interval,
                           int batch) {
    }

    /** What one run did: cubes expired, cubes demoted, groups of duplicates fused, activation cubes compiled. */
    public record Run(int expired, int demoted, int consolidated, int compiled) {
    }

    private volatile long lastRunMillis = -1;
    private volatile ActivationPolicy activation;

    /** Adds the activation policy to every run (memos with an inference engine). */
    public LifecyclePolicies withActivation(ActivationPolicy policy) {
        this.activation = policy;
        return this;
    }

    private final Decisions decisions;
    private final PolicyQueries queries;
    private final SystemCubeStore cubes;
    private final Transactions transactions;
    private final Clock clock;
    private final Settings settings;
    private final NearDuplicates nearDuplicates;
    private final Lease lease;
    /** The last cube the near-duplicate scan looked at; it resumes after it (ids grow with creation). */
    private CubeId nearScanAfter;
    private static final int PATIENCE = 3;
    private CubeId blockedBy;
    private int blockedRuns;
    private volatile boolean running;
    private Thread thread;

    public LifecyclePolicies(Decisions decisions, PolicyQueries queries, SystemCubeStore cubes, Transactions transactions, Clock clock, Settings settings) {
        this(decisions, queries, cubes, transactions, clock, settings, null);
    }

    /** @param nearDuplicates finds near-duplicates for consolidation; null fuses identical text only */
    public LifecyclePolicies(Decisions decisions, PolicyQueries queries, SystemCubeStore cubes, Transactions transactions, Clock clock, Settings settings,
                             NearDuplicates nearDuplicates) {
        this(decisions, queries, cubes, transactions, clock, settings, nearDuplicates, Lease.ALWAYS);
    }

    /** @param lease the timer runs the policies only while this instance holds it */
    public LifecyclePolicies(Decisions decisions, PolicyQueries queries, SystemCubeStore cubes, Transactions transactions, Clock clock, Settings settings,
                             NearDuplicates nearDuplicates, Lease lease) {
        this.lease = lease;
        this.decisions = decisions;
        this.queries = queries;
        this.cubes = cubes;
        this.transactions = transactions;
        this.clock = clock;
        this.settings = settings;
        this.nearDuplicates = nearDuplicates;
    }

    /** Runs every switched-on policy once, over everything due now. Public so tests drive it. */
    public Run runOnce() {
        long t0 = System.nanoTime();
        Instant now = clock.instant();
        int expired = settings.ttl() ? expire(now) : 0;
        int demoted = settings.demotion() ? demote(now) : 0;
        int consolidated = settings.consolidation() ? consolidate() + consolidateNear(now) : 0;
        int compiled = activation == null ? 0 : activation.runOnce();
        lastRunMillis = (System.nanoTime() - t0) / 1_000_000;
        if (expired + demoted + consolidated + compiled > 0) {
            LOG.infof("lifecycle policies: %d expired, %d demoted, %d groups of duplicates fused, %d activation cubes "
                    + "compiled in %d ms", expired, demoted, consolidated, compiled, lastRunMillis);
        }
        return new Run(expired, demoted, consolidated, compiled);
    }

    private int consolidate() {
        int fused = 0;
        while (true) {
            List<List<CubeId>> groups = transactions.inTransaction(() ->
                    queries.findDuplicateGroups(EnumSet.of(LifecycleState.GENERATED, LifecycleState.ACTIVATED), settings.batch()));
            int before = fused;
            for (List<CubeId> group : groups) {
                Decision decision = new Decision("consolidation", "the same text in " + group.size() + " cubes",
                        Map.of("duplicates", Integer.toString(group.size()), "sources",
                                String.join(",", group.stream().map(CubeId::toString).toList())));
                if (decisions.consolidate(group, decision).isPresent()) {
                    fused++;
                }
            }
            if (groups.size() < settings.batch() || fused == before) {
                return fused;
            }
        }
    }

    /**
     * Fuses near-duplicates of the cubes written since the scan's last position, a batch at a time, until
     * it has caught up (a cube not indexed yet stops it: the next run starts there) or a run's budget of
     * ten seconds is spent. After a restart the scan starts from the first cube again.
     */
    private int consolidateNear(Instant now) {
        if (nearDuplicates == null) {
            return 0;
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        int fused = 0;
        while (System.nanoTime() < deadline) {
            CubeId after = nearScanAfter;
            List<MemCube> page = transactions.inTransaction(() -> cubes.scanForSystem(after, settings.batch())).items();
            for (MemCube cube : page) {
                if (NearDuplicates.CANDIDATES.contains(cube.state()) && cube.payload() instanceof TextPayload) {
                    Optional<float[]> vector = nearDuplicates.vector(cube);
                    if (vector.isEmpty() && waitForIndex(cube.id())) {
                        return fused; // not indexed yet: look again next run
                    }
                    if (vector.flatMap(v -> nearDuplicates.around(cube, v, now)).filter(this::fuse).isPresent()) {
                        fused++;
                    }
                }
                nearScanAfter = cube.id();
            }
            if (page.size() < settings.batch()) {
                break;
            }
        }
        return fused;
    }

    /**
     * Whether the scan should stop at a cube the index does not hold yet. A cube that is still missing after
     * {@value #PATIENCE} runs is passed over with a warning (the index misses it: run a reindex).
     */
    private boolean waitForIndex(CubeId id) {
        blockedRuns = id.equals(blockedBy) ? blockedRuns + 1 : 1;
        blockedBy = id;
        if (blockedRuns <= PATIENCE) {
            return true;
        }
        LOG.warnf("near-duplicate scan: cube %s is still not in the search index after %d runs; passing over it "
                + "(./memos admin index-check tells whether the index misses cubes)", id, PATIENCE);
        return false;
    }

    private boolean fuse(NearDuplicates.Group group) {
        String similarity = String.format(Locale.ROOT, "%.3f", group.similarity());
        Decision decision = new Decision("consolidation", "near-duplicates: cosine similarity " + similarity + " ≥ "
                + nearDuplicates.minSimilarity() + " and no other content words", Map.of(
                "duplicates", Integer.toString(group.members().size()), "sources",
                String.join(",", group.members().stream().map(CubeId::toString).toList()), "similarity", similarity,
                "minSimilarity", Double.toString(nearDuplicates.minSimilarity()), "keptTextOf", group.keep().toString()));
        return decisions.consolidate(group.members(), group.keep(), decision).isPresent();
    }

    /** Whether this instance runs the policies now (it holds the scheduler's lease). */
    public boolean leading() {
        return lease.held();
    }

    /** How long the last run took, in milliseconds; -1 before the first. */
    public long lastRunMillis() {
        return lastRunMillis;
    }

    private int expire(Instant now) {
        return sweep(() -> queries.findExpired(DELETABLE, now, settings.batch()), cube -> {
            Instant expiresAt = cube.governance().expiresAt();
            return decisions.decide(cube.id(), cube.state(), LifecycleState.DELETED, new Decision("ttl",
                    "expired at " + expiresAt, Map.of("expiresAt", expiresAt.toString(), "now", now.toString())))
                    .isPresent();
        });
    }

    private int demote(Instant now) {
        Instant before = now.minus(settings.coldAfter());
        return sweep(() -> queries.findIdle(LifecycleState.ACTIVATED, before, settings.batch()), cube -> {
            String lastAccess = cube.usage().lastAccessedAt() == null ? "never" : cube.usage().lastAccessedAt().toString();
            return decisions.decide(cube.id(), LifecycleState.ACTIVATED, LifecycleState.ARCHIVED, new Decision("demotion",
                    "idle for more than " + settings.coldAfter() + " (each recall postpones idleness)",
                    Map.of("lastAccessedAt", lastAccess, "accessCount", Long.toString(cube.usage().accessCount()),
                            "recordedAt", String.valueOf(cube.time().recordedAt()), "coldAfter",
                            settings.coldAfter().toString(), "now", now.toString()))).isPresent();
        });
    }

    /** Acts on batches until a batch yields no move (everything due was handled or skipped). */
    private int sweep(Supplier<List<MemCube>> due, java.util.function.Predicate<MemCube> act) {
        int moved = 0;
        while (true) {
            List<MemCube> batch = transactions.inTransaction(due::get);
            int before = moved;
            for (MemCube cube : batch) {
                if (act.test(cube)) {
                    moved++;
                }
            }
            if (batch.size() < settings.batch() || moved == before) {
                return moved;
            }
        }
    }

    private static Set<LifecycleState> deletable() {
        Set<LifecycleState> states = EnumSet.noneOf(LifecycleState.class);
        for (LifecycleState s : LifecycleState.values()) {
            if (s != LifecycleState.FROZEN && Lifecycle.isLegal(s, LifecycleState.DELETED)) {
                states.add(s);
            }
        }
        return states;
    }

    public synchronized void start() {
        if (running || !(settings.ttl() || settings.demotion() || settings.consolidation())) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().name("memos-lifecycle-policies").daemon().start(() -> {
            while (running) {
                try {
                    if (lease.held()) {
                        runOnce();
                    }
                } catch (RuntimeException e) {
                    LOG.warnf(e, "a lifecycle policy run failed; trying again in %s", settings.interval());
                }
                try {
                    Thread.sleep(settings.interval());
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    @Override
    public synchronized void close() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(10_000);
        }
    }
}
