package dev.memos.kernel.spi;

import dev.memos.kernel.access.Role;
import dev.memos.kernel.model.CubeHead;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.query.CubeQuery;
import dev.memos.kernel.query.Page;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Persistence of cubes and their versions: the source of truth.
 *
 * <p>Tenancy is enforced here, in the queries: every method that names a cube or a space also takes
 * the acting principal and touches nothing in a space where that principal lacks the stated role.
 * A cube the principal may not see is reported exactly as one that does not exist. Callers run
 * these methods inside {@link Transactions#inTransaction}.
 *
 * <p>The kernel also acts as memos itself (the scheduler's decisions, imports, erasure), so a cube store is a
 * {@link SystemCubeStore} too. The scheduler's candidate queries are {@link PolicyQueries}; usage statistics are
 * written through {@link UsageStore}.
 */
public interface CubeStore extends SystemCubeStore {

    /** The live version of a cube, if {@code principalId} holds at least {@code role} on its space. */
    Optional<MemCube> find(CubeId id, String principalId, Role role);

    /** One version, live or past, if the principal may read the cube's space. */
    Optional<MemCube> findVersion(CubeId id, int version, String principalId);

    /** Every version, oldest first; empty if the cube is unknown or unreadable to the principal. */
    List<MemCube> versions(CubeId id, String principalId);

    /**
     * A page of live versions in one space, in id (creation) order; without a state in the query, DELETED and
     * QUARANTINED cubes are left out. Empty if the space is unreadable.
     */
    Page<MemCube> list(String space, String principalId, CubeQuery query);

    /** The cube first written with this idempotency key in this space, if readable by the principal. */
    Optional<MemCube> findByIdempotencyKey(String space, String idempotencyKey, String principalId);

    /**
     * Stores a new cube as version 1.
     *
     * @throws dev.memos.kernel.error.ConflictException if the idempotency key is taken in the space
     * @throws dev.memos.kernel.error.NotFoundException if the principal holds no write grant on the space
     */
    void insert(MemCube cube, String idempotencyKey, String principalId);

    /**
     * Makes {@code next} (version n+1) the live version if the live version is still {@code next.version() - 1},
     * and stamps the previous version superseded at {@code next.time().recordedAt()}.
     *
     * @throws dev.memos.kernel.error.StaleVersionException if another writer got there first
     */
    void appendVersion(MemCube next, String principalId);

    /**
     * Moves the cube from {@code from} to {@code to} if it is still in {@code from}.
     *
     * @throws dev.memos.kernel.error.ConflictException if its state changed meanwhile
     */
    void updateState(CubeId id, LifecycleState from, LifecycleState to, Instant at, String principalId);

    /**
     * The live versions of the cubes (not DELETED) some version of which is about {@code subject}, in spaces where
     * the principal holds at least {@code minimum} and its grant reaches the cube; by id, after {@code after}
     * (null: from the start), at most {@code limit}.
     */
    List<MemCube> findBySubject(String subject, String principalId, Role minimum, CubeId after, int limit);

    /** Moves the cube to DELETED and purges the payload of every version. */
    void tombstone(CubeId id, LifecycleState from, Instant at, String principalId);

    /** The live versions of those of {@code ids} the principal may read, by id. */
    Map<CubeId, MemCube> findAll(Collection<CubeId> ids, String principalId);

    /**
     * The heads of those of {@code ids} the principal may read, by id: what a search filters and ranks its
     * candidates by, without the payloads (read afterwards, with {@link #findAll}, for the hits only).
     */
    Map<CubeId, CubeHead> findHeads(Collection<CubeId> ids, String principalId);

    /**
     * The live cubes (GENERATED, ACTIVATED or FROZEN) of one tier in a space, newest first: those the principal may
     * read, or every one when {@code principalId} is null (memos' own decisions).
     */
    List<MemCube> findInTier(String space, dev.memos.kernel.model.Tier tier, String principalId, int limit);

}
