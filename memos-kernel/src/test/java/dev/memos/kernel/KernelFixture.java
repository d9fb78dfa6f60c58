package dev.memos.kernel;

import dev.memos.kernel.access.Principal;
import dev.memos.kernel.testing.InMemoryBackend;
import dev.memos.kernel.testing.MutableClock;
import org.junit.jupiter.api.BeforeEach;

import java.time.Instant;

/** The kernel on the in-memory back end, with two principals and alice's space {@code mem}, fresh for each test. */
abstract class KernelFixture {
    protected final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    protected final InMemoryBackend backend = new InMemoryBackend();
    protected final MemoryKernel kernel = new MemoryKernel(backend, backend, backend, backend, clock);
    protected final Directory directory = new Directory(backend, backend, backend, backend, clock);
    protected Principal alice;
    protected Principal bob;

    @BeforeEach
    void principals_and_a_space() {
        directory.bootstrapAdmin(null, key -> { });
        Principal root = backend.inTransaction(backend::firstAdmin).orElseThrow();
        alice = directory.createPrincipal(root, "alice", Principal.Kind.USER, false).principal();
        bob = directory.createPrincipal(root, "bob", Principal.Kind.AGENT, false).principal();
        directory.createSpace(alice, "mem", "alice's memory");
    }
}
