package dev.memos.api;

import dev.memos.cubes.store.sql.JtaTransactions;
import dev.memos.cubes.store.sql.SqlCubeStore;
import dev.memos.cubes.store.sql.SqlDirectoryStore;
import dev.memos.cubes.store.sql.SqlErasureStore;
import dev.memos.cubes.store.sql.SqlOutbox;
import dev.memos.kernel.Directory;
import dev.memos.kernel.Erasures;
import dev.memos.kernel.MemoryKernel;
import dev.memos.kernel.erasure.ErasureProbes;
import dev.memos.kernel.spi.LineageStore;
import dev.memos.kernel.spi.SearchIndex;
import dev.memos.scheduler.erasure.Eraser;
import dev.memos.scheduler.erasure.FileScan;
import dev.memos.scheduler.policy.WorkingSet;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/** Wires erasure: the kernel's requests and the eraser that completes and checks them. */
public class ErasureProducer {
    private static final Logger LOG = Logger.getLogger(ErasureProducer.class);

    /** Before any request: PostgreSQL's planner statistics must not copy content where erasure cannot reach. */
    void keepContentOutOfStatistics(@Observes StartupEvent start, SqlErasureStore store) {
        LOG.debug(store.keepContentOutOfStatistics());
    }

    @Produces
    @Singleton
    ErasureProbes probes() {
        return new ErasureProbes();
    }

    @Produces
    @Singleton
    Erasures erasures(MemoryKernel kernel, Directory directory, SqlCubeStore cubes, SqlDirectoryStore spaces,
                      SqlOutbox outbox, SqlErasureStore store, ErasureProbes probes, JtaTransactions tx, Clock clock,
                      dev.memos.cubes.store.sql.SqlAuditLog audit, MemosConfig config) {
        return new Erasures(kernel, directory, cubes, spaces, outbox, store, probes, tx, clock,
                config.erasure().deadline(), audit);
    }

    @Produces
    @Singleton
    dev.memos.kernel.Subjects subjects(MemoryKernel kernel, SqlCubeStore cubes, JtaTransactions tx) {
        return new dev.memos.kernel.Subjects(kernel, cubes, tx);
    }

    /** Scans the data directory (and the index directory when it lies elsewhere), not the unpacked native libraries. */
    @Produces
    @Singleton
    Eraser eraser(SqlErasureStore store, ErasureProbes probes, SearchIndex index, LineageStore lineage,
                  WorkingSet workingSet, JtaTransactions tx, Clock clock, MemosConfig config) {
        Path data = Path.of(config.dataDir());
        Path indexDir = Path.of(config.search().indexDir().orElse(data.resolve("index").toString()));
        List<Path> roots = indexDir.toAbsolutePath().normalize().startsWith(data.toAbsolutePath().normalize())
                ? List.of(data) : List.of(data, indexDir);
        return new Eraser(store, probes, index, lineage, workingSet, tx, clock,
                new FileScan(roots, Set.of(data.resolve("native"))), config.erasure().interval());
    }
}
