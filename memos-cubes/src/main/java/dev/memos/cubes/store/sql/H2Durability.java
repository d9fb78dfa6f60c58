package dev.memos.cubes.store.sql;

import io.agroal.api.AgroalDataSource;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Makes every committed write durable on an embedded H2 file database before it is acknowledged.
 *
 * <p>H2's MVStore writes commits to the file in the background, every {@code WRITE_DELAY} ms; a
 * killed process loses what was acknowledged since. {@code WRITE_DELAY=0} closes that window but also
 * stops the background thread that compacts the file, which then grows by tens of KiB per write
 * without bound. So the background writer stays on, and a transaction that wrote (it appended to
 * the outbox) is followed by a {@code CHECKPOINT} before the caller hears of its success. Commits
 * that finish while a checkpoint runs share the next one (group commit), so concurrent writers cost
 * one file write between them; {@code memos.store.h2.group-commit-window} (default 5 ms) spaces
 * checkpoints so that each file write carries the commits of one window. Frequent small file writes
 * leave garbage the background writer never gets to while writes keep coming, so after writes the
 * file is compacted every {@code memos.store.h2.compact-interval} (default 10 s), in short steps
 * ({@link #compactInSteps}). Other databases (PostgreSQL) are durable at commit and skip this.
 */
@Singleton
public class H2Durability {
    private static final Logger LOG = Logger.getLogger(H2Durability.class);
    private static final Object KEY = new Object();
    /** H2's own default fill rate below which its file is compacted. */
    private static final int COMPACT_FILL_RATE = 90;
    private static final int COMPACT_STEP_BYTES = 1 << 20;
    /** Chunks are moved whole, and a rewrite step writes chunks of a little over a step. */
    private static final int COMPACT_MOVE_BYTES = 4 << 20;

    private final AgroalDataSource dataSource;
    private final TransactionSynchronizationRegistry registry;
    private final Object checkpointing = new Object();
    private final AtomicLong committed = new AtomicLong();
    private long durable;
    private boolean active;

    private final long windowNanos;
    private long lastCheckpoint;

    public H2Durability(AgroalDataSource dataSource, TransactionSynchronizationRegistry registry,
                        /** At most one durability checkpoint per window; concurrent writes share it. */
                        @ConfigProperty(name = "memos.store.h2.group-commit-window", defaultValue = "5ms")
                        Duration window) {
        this.dataSource = dataSource;
        this.registry = registry;
        this.windowNanos = window.toNanos();
    }

    private final AtomicLong compactedUpTo = new AtomicLong();
    private ScheduledExecutorService compactor;

    /** How often the file is compacted after writes. */
    @ConfigProperty(name = "memos.store.h2.compact-interval", defaultValue = "10s")
    Duration compactInterval;

    /** How long one compaction goes on, in 1 MiB steps each holding H2's store lock on its own. */
    @ConfigProperty(name = "memos.store.h2.compact-time", defaultValue = "200ms")
    Duration compactTime;

    @PreDestroy
    void stop() {
        if (compactor != null) {
            compactor.shutdownNow();
        }
    }

    private void compactIfWritten() {
        long now = committed.get();
        if (now == compactedUpTo.get()) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            JdbcConnection h2 = connection.unwrap(JdbcConnection.class);
            MVStore store = ((SessionLocal) h2.getSession()).getDatabase().getStore().getMvStore();
            long started = System.nanoTime();
            int steps = compactInSteps(store, started + compactTime.toNanos());
            compactedUpTo.set(now);
            LOG.debugf("compacted the H2 file in %d steps, %d ms", steps, (System.nanoTime() - started) / 1_000_000);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("compacting the H2 file failed; will retry", e);
        }
    }

    /**
     * What H2's {@code compactFile} does — rewrite chunks that hold dead pages, move chunks to the front of the
     * file, cut it — but in steps (1 MiB rewritten, up to 4 MiB moved), each under H2's store lock on its own.
     * {@code compactFile} holds that lock for its whole run, in 16 MiB steps that overshoot its time limit
     * (median 388 ms, up to 681 ms against a limit of 200 ms in a soak), and every checkpoint, so every
     * acknowledged write, waited meanwhile: that was the write p99. Between steps the lock is let go, so a
     * waiting checkpoint goes first.
     */
    static int compactInSteps(MVStore store, long stopAtNanos) {
        store.setRetentionTime(0); // as compactFile does: freed chunks may be reused at once
        int steps = 0;
        boolean progressed;
        do {
            boolean rewrote = store.compact(COMPACT_FILL_RATE, COMPACT_STEP_BYTES);
            store.sync();
            long size = store.getFileStore().size();
            int fill = store.getFillRate();
            if (store.getFileStore() instanceof RandomAccessStore file) {
                file.compactMoveChunks(COMPACT_FILL_RATE, COMPACT_MOVE_BYTES, store);
            }
            progressed = rewrote || store.getFileStore().size() < size || store.getFillRate() > fill;
            steps++;
            LockSupport.parkNanos(1_000_000);
        } while (progressed && System.nanoTime() - stopAtNanos < 0);
        return steps;
    }

    @PostConstruct
    void detect() {
        try (Connection connection = dataSource.getConnection()) {
            String product = connection.getMetaData().getDatabaseProductName();
            String url = connection.getMetaData().getURL();
            active = "H2".equalsIgnoreCase(product) && url != null && embeddedFile(url);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot inspect the datasource", e);
        }
        if (active) {
            LOG.debug("H2 file database: each write is checkpointed before it is acknowledged");
            compactor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "memos-h2-compactor");
                thread.setDaemon(true);
                return thread;
            });
            long every = compactInterval.toMillis();
            compactor.scheduleWithFixedDelay(this::compactIfWritten, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** An H2 database in a local file of this process (not in memory, not a server over TCP). */
    static boolean embeddedFile(String url) {
        if (!url.startsWith("jdbc:h2:")) {
            return false;
        }
        String rest = url.substring("jdbc:h2:".length());
        return !rest.startsWith("mem:") && !rest.startsWith("tcp:") && !rest.startsWith("ssl:");
    }

    /** Called inside a writing transaction: once it commits, force it to the file. */
    void afterCommitOfThisTransaction() {
        if (!active || registry.getResource(KEY) != null) {
            return;
        }
        registry.putResource(KEY, Boolean.TRUE);
        registry.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    makeDurable(committed.incrementAndGet());
                }
            }
        });
    }

    /** Returns once a checkpoint that started after commit number {@code ticket} has finished. */
    private void makeDurable(long ticket) {
        synchronized (checkpointing) {
            if (durable >= ticket) {
                return;
            }
            // At most one checkpoint per window: commits arriving meanwhile queue here and share it.
            long wait = lastCheckpoint + windowNanos - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            long covered = committed.get();
            checkpoint();
            lastCheckpoint = System.nanoTime();
            durable = covered;
        }
    }

    private void checkpoint() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CHECKPOINT");
        } catch (SQLException e) {
            LOG.warn("CHECKPOINT after commit failed; the write is committed but may not survive a crash", e);
        }
    }
}
