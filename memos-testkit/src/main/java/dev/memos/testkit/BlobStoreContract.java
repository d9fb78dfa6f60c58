package dev.memos.testkit;

import dev.memos.kernel.Directory;
import dev.memos.kernel.MemoryKernel;
import dev.memos.kernel.access.Principal;
import dev.memos.kernel.model.BlobPayload;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.Governance;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.Operation;
import dev.memos.kernel.model.Provenance;
import dev.memos.kernel.model.Source;
import dev.memos.kernel.model.Temporal;
import dev.memos.kernel.model.Tier;
import dev.memos.kernel.spi.BlobStore;
import dev.memos.kernel.testing.Backend;
import dev.memos.kernel.testing.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract of a blob store beside its cube store: content addressing, exact round trips of blobs larger than
 * one storage chunk, and erasure — a blob goes when the last cube naming it is deleted, not before.
 */
public abstract class BlobStoreContract {
    protected final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private MemoryKernel kernel;
    private Principal alice;
    private String space;

    protected abstract Backend backend();

    protected abstract BlobStore blobs();

    @BeforeEach
    void setUp() {
        Backend b = backend();
        kernel = new MemoryKernel(b.cubes(), b.directory(), b.outbox(), b.transactions(), clock);
        Directory directory = new Directory(b.directory(), b.cubes(), b.outbox(), b.transactions(), clock);
        directory.bootstrapAdmin(null, key -> { });
        Principal root = b.transactions().inTransaction(() -> b.directory().firstAdmin()).orElseThrow();
        alice = directory.createPrincipal(root, "alice", Principal.Kind.USER, false).principal();
        space = "b-" + UUID.randomUUID().toString().substring(0, 8);
        directory.createSpace(alice, space, "blobs");
    }

    private byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private <T> T tx(java.util.function.Supplier<T> work) {
        return backend().transactions().inTransaction(work);
    }

    @Test
    void blobs_are_addressed_by_their_sha256_and_round_trip_exactly() throws Exception {
        byte[] large = random(2_500_000 + 17, 1); // several storage chunks and a partial one
        String sha = tx(() -> blobs().put(large));
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(large)), sha);
        assertEquals(sha, tx(() -> blobs().put(large)), "the same bytes twice are stored once");
        assertArrayEquals(large, tx(() -> blobs().get(sha)).orElseThrow());
        assertTrue(tx(() -> blobs().exists(sha)));
        assertTrue(tx(() -> blobs().get("0".repeat(64))).isEmpty());
        byte[] empty = new byte[0];
        String none = tx(() -> blobs().put(empty));
        assertArrayEquals(empty, tx(() -> blobs().get(none)).orElseThrow());
    }

    @Test
    void a_failed_transaction_leaves_no_blob() {
        byte[] bytes = random(1000, 2);
        String[] sha = new String[1];
        try {
            tx(() -> {
                sha[0] = blobs().put(bytes);
                throw new IllegalStateException("the cube write failed");
            });
        } catch (IllegalStateException expected) {
            // rolled back
        }
        assertFalse(tx(() -> blobs().exists(sha[0])));
    }

    @Test
    void a_blob_goes_with_the_last_cube_that_names_it() {
        byte[] bytes = random(3000, 3);
        MemCube first = blobCube(bytes);
        MemCube second = blobCube(bytes);
        String sha = ((BlobPayload) first.payload()).sha256();
        kernel.delete(alice, first.id(), null);
        assertTrue(tx(() -> blobs().exists(sha)), "another cube still names it");
        kernel.delete(alice, second.id(), null);
        assertFalse(tx(() -> blobs().exists(sha)), "erased with the last cube naming it");
        assertEquals(LifecycleState.DELETED, tx(() -> backend().cubes().findForSystem(second.id())).orElseThrow().state());
    }

    private MemCube blobCube(byte[] bytes) {
        return tx(() -> {
            String sha = blobs().put(bytes);
            MemCube cube = MemCube.builder().id(CubeId.next(clock)).space(space).tier(Tier.ACTIVATION)
                    .payload(new BlobPayload(sha, bytes.length, "application/vnd.memos.kv-state", "m",
                            Map.of("tokens", "3")))
                    .provenance(new Provenance(Source.DERIVATION, null, alice.id(), null, Operation.MIGRATE, List.of()))
                    .time(new Temporal(null, null, clock.instant(), null))
                    .governance(new Governance(alice.id(), null, 0, Set.of(), null)).build();
            backend().cubes().insertForSystem(cube);
            return cube;
        });
    }
}
