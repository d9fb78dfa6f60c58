package dev.memos.api;

import dev.memos.testkit.Scratch;
import dev.memos.testkit.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.memos.api.TestDatabases.PASSWORD;
import static dev.memos.api.TestDatabases.URL;
import static dev.memos.api.TestDatabases.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ErasureScenarios} on the service packaged for PostgreSQL (as {@code ./memos serve --db postgresql}
 * builds it) against the real server that {@code scripts/postgres.sh} runs, in a database of its own. Scanned:
 * memos' data directory and every file of the PostgreSQL cluster but its write-ahead log ({@code pg_wal}, which
 * the server recycles after checkpoints; docs/privacy.md), after an {@code ANALYZE} (as autovacuum runs it) and a
 * {@code CHECKPOINT} that writes the server's buffers out. Connection settings as for the store contract tests: MEMOS_TEST_PG_URL, _USER, _PASSWORD.
 */
class PostgresErasureIT extends ErasureScenarios {

    private static Path dataDir;
    private static Path cluster;
    private static String database;

    @BeforeAll
    static void start() throws Exception {
        database = "memos_erasure_" + Long.toHexString(System.nanoTime());
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
            try (ResultSet directory = statement.executeQuery("SHOW data_directory")) {
                directory.next();
                cluster = Path.of(directory.getString(1));
            }
        }
        assertTrue(Files.isReadable(cluster.resolve("base")), "this test reads PostgreSQL's files under " + cluster
                + ": run it as root or as the postgres user");
        dataDir = Scratch.directory("memos-erasure-pg");
        start(Path.of(System.getProperty("memos.app.dir.postgresql", "../memos-api/target/postgresql"))
                        .resolve("quarkus-run.jar").toAbsolutePath().normalize(), dataDir,
                Map.of("QUARKUS_DATASOURCE_JDBC_URL", databaseUrl(),
                        "QUARKUS_DATASOURCE_USERNAME", USER, "QUARKUS_DATASOURCE_PASSWORD", PASSWORD));
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        stopService();
        if (database != null) {
            TestDatabases.drop(database);
        }
    }

    @Test
    void no_content_column_feeds_the_planner_statistics() throws SQLException {
        try (Connection connection = DriverManager.getConnection(databaseUrl(), USER, PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("ANALYZE");
            try (ResultSet gathered = statement.executeQuery("select tablename || '.' || attname from pg_stats"
                    + " where schemaname = current_schema() and tablename in ('cube_version', 'cube', 'cube_tag',"
                    + " 'cube_label', 'outbox', 'blob_chunk') and (most_common_vals is not null"
                    + " or histogram_bounds is not null) and (tablename, attname) in (select table_name, column_name"
                    + " from information_schema.columns where data_type in ('text', 'character varying', 'bytea'))")) {
                List<String> columns = new ArrayList<>();
                while (gathered.next()) {
                    columns.add(gathered.getString(1));
                }
                assertEquals(List.of(), columns, "sample values of these columns are in pg_statistic");
            }
        }
    }

    @Override
    protected List<Path> scanned() {
        List<Path> roots = new ArrayList<>(List.of(dataDir));
        try (Stream<Path> files = Files.list(cluster)) {
            files.filter(file -> !file.getFileName().toString().equals("pg_wal")).forEach(roots::add);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return roots;
    }

    @Override
    protected Path databaseFiles() {
        return cluster.resolve("base");
    }

    /**
     * Gathers planner statistics as autovacuum would at any time (they copy sample values into the catalog), then
     * writes the server's buffers to its files.
     */
    @Override
    protected void flush() throws SQLException {
        try (Connection connection = DriverManager.getConnection(databaseUrl(), USER, PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("ANALYZE");
            statement.execute("CHECKPOINT");
        }
    }

    private static String databaseUrl() {
        return TestDatabases.url(database);
    }
}
