package dev.memos.api;

import dev.memos.api.config.SchedulerSettings;
import dev.memos.cubes.store.sql.JtaTransactions;
import dev.memos.cubes.store.sql.SqlAuditLog;
import dev.memos.cubes.store.sql.SqlCubeStore;
import dev.memos.cubes.store.sql.SqlDirectoryStore;
import dev.memos.cubes.store.sql.SqlOutbox;
import dev.memos.cubes.store.sql.SqlPolicyQueries;
import dev.memos.kernel.Audit;
import dev.memos.kernel.Directory;
import dev.memos.kernel.MemoryKernel;
import dev.memos.kernel.Tiers;
import dev.memos.kernel.engine.EngineProvider;
import dev.memos.kernel.governance.Detectors;
import dev.memos.kernel.governance.Quarantine;
import dev.memos.kernel.governance.Screening;
import dev.memos.kernel.spi.CubeCache;
import dev.memos.kernel.spi.SearchIndex;
import dev.memos.scheduler.policy.ActivationPolicy;
import dev.memos.scheduler.policy.Lease;
import dev.memos.scheduler.policy.LifecyclePolicies;
import dev.memos.scheduler.policy.NearDuplicates;
import dev.memos.scheduler.policy.WorkingSet;
import dev.memos.scheduler.usage.UsageRecorder;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** Wires the framework-free kernel to its back ends. */
public class KernelProducer {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    MemoryKernel kernel(SqlCubeStore cubes, SqlDirectoryStore directory, SqlOutbox outbox, JtaTransactions tx,
                        Clock clock, UsageRecorder usage, WorkingSet workingSet, SqlAuditLog audit, MemosConfig config) {
        CubeCache cache = config.scheduler().workingSet().enabled() ? workingSet : CubeCache.NONE;
        usage.onFlushed(cache::invalidate);
        return new MemoryKernel(cubes, directory, outbox, tx, clock, new dev.memos.kernel.KernelServices(usage, cache, audit,
                new Screening(detectors(config), quarantine(config))));
    }

    /** The quarantine rules of memos.quarantine.*; an unknown source stops the start with the sources it knows. */
    static Quarantine quarantine(MemosConfig config) {
        MemosConfig.QuarantineSettings q = config.quarantine();
        java.util.Set<dev.memos.kernel.model.Source> sources = java.util.EnumSet.noneOf(dev.memos.kernel.model.Source.class);
        for (String name : q.untrustedSources().orElse(java.util.List.of())) {
            try {
                sources.add(dev.memos.kernel.model.Source.valueOf(name.strip().toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("memos.quarantine.untrusted-sources: unknown source '" + name.strip()
                        + "'; known: " + java.util.Arrays.toString(dev.memos.kernel.model.Source.values()));
            }
        }
        return new Quarantine(sources, java.util.Set.copyOf(q.untrustedActors().orElse(java.util.List.of()).stream()
                .map(String::strip).toList()), q.injections());
    }

    /** The detectors memos.labels.detectors names; an unknown name stops the start with the names it knows. */
    @Produces
    @Singleton
    Detectors detectors(MemosConfig config) {
        java.util.Set<Detectors.Kind> kinds = java.util.EnumSet.noneOf(Detectors.Kind.class);
        for (String name : config.labels().detectors()) {
            if (name.isBlank() || name.strip().equals("none")) {
                continue;
            }
            try {
                kinds.add(Detectors.Kind.named(name));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("memos.labels.detectors: unknown detector '" + name.strip() + "'; known: "
                        + java.util.Arrays.stream(Detectors.Kind.values()).map(k -> k.name().toLowerCase(
                        java.util.Locale.ROOT).replace('_', '-')).toList() + " or none");
            }
        }
        return new Detectors(kinds);
    }

    @Produces
    @Singleton
    Audit audit(SqlAuditLog log, SqlDirectoryStore directory, SqlCubeStore cubes, JtaTransactions tx, Clock clock) {
        return new Audit(log, directory, cubes, tx, clock);
    }

    @Produces
    @Singleton
    WorkingSet workingSet(MemosConfig config) {
        SchedulerSettings.WorkingSet w = config.scheduler().workingSet();
        return new WorkingSet(w.sizePerSpace(), w.maxSpaces());
    }

    @Produces
    @Singleton
    LifecyclePolicies policies(MemoryKernel kernel, SqlPolicyQueries queries, SqlCubeStore cubes, JtaTransactions tx,
                               Clock clock,
                               SearchIndex index, Lease lease, ActivationPolicy activation, MemosConfig config) {
        SchedulerSettings s = config.scheduler();
        SchedulerSettings.Consolidation c = s.consolidation();
        LifecyclePolicies policies = new LifecyclePolicies(kernel.decisions(), queries, cubes, tx, clock, new LifecyclePolicies.Settings(
                s.ttl().enabled(), s.demotion().enabled(), s.demotion().coldAfter(), c.enabled(), s.interval(), s.batch()),
                c.nearDuplicates() ? new NearDuplicates(cubes, index, tx, c.similarity()) : null, lease);
        return s.activation().enabled() ? policies.withActivation(activation) : policies;
    }

    @Produces
    @Singleton
    ActivationPolicy activation(Tiers tiers, MemoryKernel kernel, SqlCubeStore cubes, SqlPolicyQueries queries,
                                JtaTransactions tx,
                                EngineProvider engine, MemosConfig config) {
        SchedulerSettings.Activation a = config.scheduler().activation();
        return new ActivationPolicy(tiers, kernel.decisions(), cubes, queries, tx, engine, new ActivationPolicy.Settings(a.maxTokens(),
                a.maxBytes(), a.maxSpaces(), a.candidates()));
    }

    @Produces
    @Singleton
    Directory directory(SqlDirectoryStore directory, SqlCubeStore cubes, SqlOutbox outbox, JtaTransactions tx,
                        Clock clock, SqlAuditLog audit) {
        return new Directory(directory, cubes, outbox, tx, clock, audit);
    }
}
