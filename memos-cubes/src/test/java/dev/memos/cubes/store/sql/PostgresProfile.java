package dev.memos.cubes.store.sql;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * Runs a Quarkus test against a real PostgreSQL. The datasource kind is a build-time property;
 * a test profile re-augments the application, so it may change it. Connection settings come from
 * MEMOS_TEST_PG_URL / _USER / _PASSWORD, which {@code scripts/postgres.sh} sets up. The test database is
 * emptied at start (Flyway clean): it outlives test runs, and a migration edited during development would
 * otherwise fail validation against the copy an earlier run applied.
 */
public class PostgresProfile implements QuarkusTestProfile {
    public static final String URL = env("MEMOS_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/memos_test");

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.datasource.db-kind", "postgresql",
                "quarkus.datasource.jdbc.url", URL,
                "quarkus.datasource.username", env("MEMOS_TEST_PG_USER", "memos"),
                "quarkus.datasource.password", env("MEMOS_TEST_PG_PASSWORD", "memos"),
                "quarkus.flyway.clean-disabled", "false",
                "quarkus.flyway.clean-at-start", "true");
    }

    @Override
    public String getConfigProfile() {
        return "pg";
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
