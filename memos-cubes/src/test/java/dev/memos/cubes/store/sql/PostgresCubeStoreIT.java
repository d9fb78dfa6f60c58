package dev.memos.cubes.store.sql;

import dev.memos.kernel.testing.Backend;
import dev.memos.testkit.CubeStoreContract;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * The cube store contract on a real PostgreSQL server ({@code scripts/postgres.sh} installs and
 * starts one; {@code ./memos test} runs it first).
 */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class PostgresCubeStoreIT extends CubeStoreContract {
    @Inject
    SqlBackend backend;

    @Override
    protected Backend backend() {
        return backend;
    }
}
