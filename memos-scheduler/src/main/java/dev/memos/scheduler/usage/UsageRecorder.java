package dev.memos.scheduler.usage;

import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.spi.Transactions;
import dev.memos.kernel.spi.UsageSink;
import dev.memos.kernel.spi.UsageStore;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts accesses in memory and writes them to the store in one transaction per flush, off the
 * read path. A crash loses at most one flush interval of counts (usage is statistics, not memory).
 */
public final class UsageRecorder implements UsageSink, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(UsageRecorder.class);

    private final UsageStore cubes;
    private final Transactions transactions;
    private final Clock clock;
    private final dev.memos.kernel.search.Heat heat;
    private final ConcurrentHashMap<CubeId, AtomicLong> pending = new ConcurrentHashMap<>();
    private volatile java.util.function.Consumer<Collection<CubeId>> flushed = ids -> { };
    private ScheduledExecutorService flusher;

    public UsageRecorder(UsageStore cubes, Transactions transactions, Clock clock, dev.memos.kernel.search.Heat heat) {
        this.cubes = cubes;
        this.transactions = transactions;
        this.clock = clock;
        this.heat = heat;
    }

    public void start(Duration every) {
        flusher = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("memos-usage").daemon().unstarted(r));
        flusher.scheduleWithFixedDelay(this::flushQuietly, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void accessed(Collection<CubeId> ids, Instant at) {
        ids.forEach(id -> pending.computeIfAbsent(id, k -> new AtomicLong()).incrementAndGet());
    }

    /** Called with the cubes whose usage a flush wrote (the working set drops its now stale copies). */
    public void onFlushed(java.util.function.Consumer<Collection<CubeId>> listener) {
        this.flushed = listener;
    }

    /** Writes what was counted so far; returns how many cubes it touched. */
    public int flush() {
        if (pending.isEmpty()) {
            return 0;
        }
        Map<CubeId, Long> batch = new HashMap<>();
        for (CubeId id : pending.keySet()) {
            AtomicLong count = pending.remove(id);
            if (count != null) {
                batch.put(id, count.get());
            }
        }
        Instant now = clock.instant();
        try {
            transactions.inTransaction(() -> {
                cubes.recordUsage(batch, now, heat);
                return null;
            });
        } catch (RuntimeException e) {
            batch.forEach((id, n) -> pending.computeIfAbsent(id, k -> new AtomicLong()).addAndGet(n));
            throw e;
        }
        flushed.accept(batch.keySet());
        return batch.size();
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("writing usage statistics failed; keeping the counts for the next flush", e);
        }
    }

    @Override
    public void close() {
        if (flusher != null) {
            flusher.shutdown();
        }
        flushQuietly();
    }
}
