package dev.memos.api;

import dev.memos.api.config.LineageSettings;
import dev.memos.cubes.lineage.Neo4jLineageStore;
import dev.memos.cubes.lineage.SqlLineageStore;
import dev.memos.cubes.store.sql.JtaTransactions;
import dev.memos.cubes.store.sql.SqlCubeStore;
import dev.memos.cubes.store.sql.SqlDirectoryStore;
import dev.memos.cubes.store.sql.SqlOutbox;
import dev.memos.kernel.Lineage;
import dev.memos.kernel.spi.LineageStore;
import dev.memos.scheduler.lineage.LineageRecorder;
import dev.memos.scheduler.lineage.Relineage;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.nio.file.Path;

/** Wires the lineage store chosen by {@code memos.lineage.kind}, its recorder, rebuild and queries. */
public class LineageProducer {

    @Produces
    @Singleton
    LineageStore store(MemosConfig config, SqlLineageStore embedded) {
        if (config.lineage().kind() == LineageSettings.Kind.embedded) {
            return embedded;
        }
        LineageSettings.Neo4j neo4j = config.lineage().neo4j();
        return new Neo4jLineageStore(neo4j.uri(), neo4j.user().orElse(null), neo4j.password().orElse(null),
                neo4j.database(), Neo4jLineageStore.schema(neo4j.schemaFile().map(Path::of).orElse(null)));
    }

    void close(@Disposes LineageStore store) {
        if (store instanceof Neo4jLineageStore neo4j) {
            neo4j.close();
        }
    }

    @Produces
    @Singleton
    LineageRecorder recorder(LineageStore store, JtaTransactions tx) {
        return new LineageRecorder(store, tx);
    }

    @Produces
    @Singleton
    Relineage relineage(SqlOutbox outbox, LineageStore store, LineageRecorder recorder, JtaTransactions tx) {
        return new Relineage(outbox, store, recorder, tx);
    }

    @Produces
    @Singleton
    Lineage lineage(SqlCubeStore cubes, SqlDirectoryStore directory, LineageStore store, JtaTransactions tx) {
        return new Lineage(cubes, directory, store, tx);
    }
}
