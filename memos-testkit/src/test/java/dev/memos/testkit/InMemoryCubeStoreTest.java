package dev.memos.testkit;

/** The kernel's operations over the in-memory reference backend: fast unit tests of versioning, lifecycle and tenancy. */
class InMemoryCubeStoreTest extends CubeStoreContract {
    private static final InMemoryBackend BACKEND = new InMemoryBackend();

    @Override
    protected Backend backend() {
        return BACKEND;
    }
}
