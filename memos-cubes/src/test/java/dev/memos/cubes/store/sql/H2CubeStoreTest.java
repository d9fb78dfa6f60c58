package dev.memos.cubes.store.sql;

import dev.memos.kernel.testing.Backend;
import dev.memos.testkit.CubeStoreContract;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** The cube store contract on the embedded default: H2 through Hibernate, schema by Flyway. */
@QuarkusTest
class H2CubeStoreTest extends CubeStoreContract {
    @Inject
    SqlBackend backend;

    @Override
    protected Backend backend() {
        return backend;
    }
}
