package dev.memos.kernel.spi;

import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.query.Page;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reads and writes of cubes by memos itself, where no principal's grant applies: the scheduler's moves and fusions,
 * imports (the kernel checked the grant), the search indexer's scans, erasure. Callers run these methods inside
 * {@link Transactions#inTransaction}.
 */
public interface SystemCubeStore {

    /**
     * The live version of a cube, read for memos itself (the search indexer, the scheduler), not on
     * behalf of a principal. Never expose the result to a caller without an access check.
     */
    Optional<MemCube> findForSystem(CubeId id);

    /** The idempotency key a cube was written under, as stored (a deleted cube's is a hash), for memos itself. */
    Optional<String> idempotencyKeyForSystem(CubeId id);

    /** A page of every cube's live version in id order, for memos itself (index rebuilds). */
    Page<MemCube> scanForSystem(CubeId after, int limit);

    /**
     * Moves a cube from {@code from} to {@code to} on memos' own decision; to DELETED it also purges the
     * payload of every version, as {@link CubeStore#tombstone} does.
     *
     * @throws dev.memos.kernel.error.ConflictException when the cube is no longer in {@code from}
     */
    void moveForSystem(CubeId id, LifecycleState from, LifecycleState to, Instant at);

    /**
     * The cubes, not DELETED, any version of which names {@code source} among the cubes it was derived from
     * (written from it, fused from it), in id order; at most {@code limit} (memos' own decisions: no grant applies).
     */
    List<CubeId> findDerivedFrom(CubeId source, int limit);

    /** Inserts a cube memos itself derived (a consolidation): like {@link CubeStore#insert}, without a grant. */
    void insertForSystem(MemCube cube);

    /**
     * Inserts a cube with its whole history (an import from an archive; the kernel checked the grant):
     * versions 1 … n exactly as given, oldest first; the cube's state, header and tags are the last one's.
     *
     * @param idempotencyKey kept like a write's (null: none)
     * @throws dev.memos.kernel.error.ConflictException if a cube with this id, or this key in the space, exists
     */
    void importForSystem(List<MemCube> versions, String idempotencyKey);

    /**
     * System: the searchable (not DELETED, MERGED or QUARANTINED) plaintext cubes of a space whose live version
     * names this session, the {@code limit} created last, in the order they were created (ties by id).
     */
    List<MemCube> sessionForSystem(String space, String sessionId, int limit);

    /** Counts the cubes of a space that are not DELETED. */
    long countLive(String space);

    /** Removes every cube and version of a space (the space itself is being deleted). */
    void deleteAll(String space);
}
