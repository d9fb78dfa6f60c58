package dev.memos.api;

import dev.memos.cubes.store.sql.JtaTransactions;
import dev.memos.cubes.store.sql.SqlNodes;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps this instance's row in table {@code node} (every {@link #BEAT}) and, before anything else starts, refuses
 * to run on the in-process bus (memos.bus.kind=embedded) while another instance uses the same database: its relay
 * would apply events locally and mark them published, so every other instance's index would miss them.
 */
@Singleton
public class NodeRegistry {
    private static final Logger LOG = Logger.getLogger(NodeRegistry.class);
    static final Duration BEAT = Duration.ofSeconds(10);
    /** An instance not seen for this long is taken for gone (a crash leaves its row). */
    static final Duration ALIVE = BEAT.multipliedBy(3);

    private final SqlNodes nodes;
    private final JtaTransactions tx;
    private final Clock clock;
    private final BusProducer.Instance instance;
    private final String bus;
    private ScheduledExecutorService beat;

    public NodeRegistry(SqlNodes nodes, JtaTransactions tx, Clock clock, BusProducer.Instance instance, MemosConfig config) {
        this.nodes = nodes;
        this.tx = tx;
        this.clock = clock;
        this.instance = instance;
        this.bus = config.bus().kind().name();
    }

    void onStart(@Observes @Priority(100) StartupEvent start) {
        List<SqlNodes.Node> others = tx.inTransaction(() -> nodes.others(instance.id(), clock.instant().minus(ALIVE)));
        if (!others.isEmpty() && !instance.kafka()) {
            throw new IllegalStateException("memos.bus.kind=" + bus + " (the in-process bus), but other instances use"
                    + " this database: " + others.stream().map(n -> n.instanceId() + " (bus " + n.busKind() + ")").toList()
                    + ". Several instances on one database need memos.bus.kind=kafka (docs/operations.md, \"Several"
                    + " instances\"); an instance gone for " + ALIVE.toSeconds() + " s no longer counts.");
        }
        others.stream().filter(n -> !"kafka".equals(n.busKind())).forEach(n -> LOG.errorf("instance %s uses this"
                + " database on the in-process bus: its events do not reach this instance", n.instanceId()));
        tx.inTransaction(() -> {
            nodes.seen(instance.id(), bus, clock.instant());
            return null;
        });
        beat = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("memos-node-beat").daemon().factory());
        beat.scheduleAtFixedRate(() -> {
            try {
                tx.inTransaction(() -> {
                    nodes.seen(instance.id(), bus, clock.instant());
                    return null;
                });
            } catch (RuntimeException e) {
                LOG.warnf("could not record this instance in table node: %s", e.toString());
            }
        }, BEAT.toMillis(), BEAT.toMillis(), TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent stop) {
        if (beat != null) {
            beat.shutdownNow();
        }
        try {
            tx.inTransaction(() -> {
                nodes.gone(instance.id());
                return null;
            });
        } catch (RuntimeException e) {
            LOG.debugf("could not remove this instance from table node: %s", e.toString());
        }
    }
}
