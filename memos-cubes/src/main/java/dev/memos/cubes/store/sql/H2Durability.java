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
 * file is compacted every {@code memos.store.h2.compact-interval} (default 10 s). Other databases (PostgreSQL) are durable at commit and skip this.
 */
@Singleton
public class H2Durability {
    private static final Logger LOG = Logger.getLogger(H2Durability.class);
    private static final Object KEY = new Object();

    private final AgroalDataSource dataSource;
    private final TransactionSynchronizationRegistry registry;
    private final Object checkpointing = new Object();
    private final AtomicLong committed = new AtomicLong();
    private long durable;
    private boolean active;

    private final long windowNanos;
    private long lastCheckpoint;

    public H2Durability(AgroalDataSource dataSource, TransactionSynchronizationRegistry registry,
                        @ConfigProperty(name = "memos.store.h2.group-commit-window", defaultValue = "5ms")
                        Duration window) {
        this.dataSource = dataSource;
        this.registry = registry;
        this.windowNanos = window.toNanos();
    }

    private final AtomicLong compactedUpTo = new AtomicLong();
    private ScheduledExecutorService compactor;

    @ConfigProperty(name = "memos.store.h2.compact-interval", defaultValue = "10s")
    Duration compactInterval;

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
            ((SessionLocal) h2.getSession()).getDatabase().getStore().compactFile(200);
            compactedUpTo.set(now);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("compacting the H2 file failed; will retry", e);
        }
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
