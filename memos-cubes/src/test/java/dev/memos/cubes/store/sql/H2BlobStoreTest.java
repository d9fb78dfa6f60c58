package dev.memos.cubes.store.sql;

import dev.memos.kernel.spi.BlobStore;
import dev.memos.kernel.testing.Backend;
import dev.memos.testkit.BlobStoreContract;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** The blob store contract on H2. */
@QuarkusTest
class H2BlobStoreTest extends BlobStoreContract {
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
