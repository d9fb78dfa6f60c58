package dev.memos.testkit;

import dev.memos.kernel.testing.Backend;
import dev.memos.kernel.testing.InMemoryBackend;

/** The kernel's operations over the in-memory reference backend: fast unit tests of versioning, lifecycle and tenancy. */
class InMemoryCubeStoreTest extends CubeStoreContract {
    private static final InMemoryBackend BACKEND = new InMemoryBackend();

    @Override
    protected Backend backend() {
        return BACKEND;
    }
}
