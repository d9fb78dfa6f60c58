package dev.memos.api;

import java.time.Duration;
import org.awaitility.Awaitility;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

/**
 * Databases of their own on the test PostgreSQL ({@code scripts/postgres.sh}) for ITs that run the service packaged
 * for PostgreSQL as processes. Connection settings as for the store contract tests: MEMOS_TEST_PG_URL, _USER, _PASSWORD.
 */
final class TestDatabases {
    static final String URL = env("MEMOS_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/memos_test");
    static final String USER = env("MEMOS_TEST_PG_USER", "memos");
    static final String PASSWORD = env("MEMOS_TEST_PG_PASSWORD", "memos");

    private TestDatabases() {
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Creates a fresh database named {@code prefix} plus a unique suffix; returns its name. */
    static String create(String prefix) throws Exception {
        String database = prefix + Long.toHexString(System.nanoTime());
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        return database;
    }

    /**
     * Drops {@code database}, closing its connections by force. PostgreSQL 15 refuses to close an autovacuum worker's
     * connection for a role that is not a superuser ("must be a member of the role whose process is being terminated",
     * SQLSTATE 42501); the worker is done within moments, so the drop is tried again for up to 30 s.
     */
    static void drop(String database) {
        Awaitility.await("dropping the database " + database).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsMatching(e -> e instanceof java.sql.SQLException refused
                        && "42501".equals(refused.getSQLState()))
                .until(() -> {
                    try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
                         Statement statement = connection.createStatement()) {
                        statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                    }
                    return true;
                });
    }

    static String url(String database) {
        return URL.substring(0, URL.lastIndexOf('/') + 1) + database;
    }

    /** The service's environment for {@code database}, with the administrator key {@code admin}. */
    static Map<String, String> environment(String database, String admin) {
        return Map.of("MEMOS_ADMIN_KEY", admin, "QUARKUS_DATASOURCE_JDBC_URL", url(database),
                "QUARKUS_DATASOURCE_USERNAME", USER, "QUARKUS_DATASOURCE_PASSWORD", PASSWORD);
    }

    /** The service as {@code ./memos build --db postgresql} packages it. */
    static Path serviceJar() {
        return Path.of(System.getProperty("memos.app.dir.postgresql", "../memos-api/target/postgresql"))
                .resolve("quarkus-run.jar").toAbsolutePath().normalize();
    }

    /** Waits until the relays published every outbox event; returns how many events the outbox holds. */
    static long awaitPublished(String database) throws Exception {
        try (Connection connection = DriverManager.getConnection(url(database), USER, PASSWORD);
             Statement statement = connection.createStatement()) {
            return Awaitility.await("the relays publish every event").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100)).pollInSameThread().until(() -> {
                        try (ResultSet counts = statement.executeQuery(
                                "select count(*), count(*) filter (where published_at is null) from outbox")) {
                            counts.next();
                            return counts.getLong(2) == 0 ? counts.getLong(1) : null;
                        }
                    }, java.util.Objects::nonNull);
        }
    }
}
