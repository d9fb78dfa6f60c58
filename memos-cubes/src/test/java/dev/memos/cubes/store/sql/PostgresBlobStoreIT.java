package dev.memos.cubes.store.sql;

import dev.memos.kernel.spi.BlobStore;
import dev.memos.kernel.testing.Backend;
import dev.memos.testkit.BlobStoreContract;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** The blob store contract on a real PostgreSQL server (started by ./memos test). */
@QuarkusTest
@io.quarkus.test.junit.TestProfile(PostgresProfile.class)
class PostgresBlobStoreIT extends BlobStoreContract {
    @Inject
    SqlBackend backend;
    @Inject
    SqlBlobStore blobs;

    @Override
    protected Backend backend() {
        return backend;
    }

    @Override
    protected BlobStore blobs() {
        return blobs;
    }
}
