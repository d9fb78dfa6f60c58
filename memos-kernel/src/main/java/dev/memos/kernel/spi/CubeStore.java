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
import java.util.Set;

/**
 * Persistence of cubes and their versions: the source of truth.
 *
 * <p>Tenancy is enforced here, in the queries: every method that names a cube or a space also takes
 * the acting principal and touches nothing in a space where that principal lacks the stated role.
 * A cube the principal may not see is reported exactly as one that does not exist. Callers run
 * these methods inside {@link Transactions#inTransaction}.
 */
public interface CubeStore {

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
     * The live version of a cube, read for memos itself (the search indexer, the scheduler), not on
     * behalf of a principal. Never expose the result to a caller without an access check.
     */
    Optional<MemCube> findForSystem(CubeId id);

    /** The idempotency key a cube was written under, as stored (a deleted cube's is a hash), for memos itself. */
    Optional<String> idempotencyKeyForSystem(CubeId id);

    /** A page of every cube's live version in id order, for memos itself (index rebuilds). */
    Page<MemCube> scanForSystem(CubeId after, int limit);

    /**
     * Adds accesses to usage statistics: access count, last access, heat decayed along {@code heat}'s curve since
     * the previous access, and the time the cube starts to count as idle ({@link dev.memos.kernel.search.Heat#idleFrom},
     * which {@link #findIdle} orders by). Unknown ids are ignored.
     */
    void recordUsage(Map<CubeId, Long> hits, Instant at, dev.memos.kernel.search.Heat heat);

    /** Counts the cubes of a space that are not DELETED. */
    long countLive(String space);

    /** Removes every cube and version of a space (the space itself is being deleted). */
    void deleteAll(String space);

    // --- for memos' own policies (the scheduler): no grant applies

    /** Cubes in one of {@code states} whose {@code expiresAt} is at or before {@code now}, soonest expiry first. */
    List<MemCube> findExpired(Set<LifecycleState> states, Instant now, int limit);

    /**
     * Cubes in {@code state} idle since before {@code before}: idle from then as their last usage record set it
     * (recalls postpone it), or never accessed and recorded then. Longest idle first.
     */
    List<MemCube> findIdle(LifecycleState state, Instant before, int limit);

    /**
     * Moves a cube from {@code from} to {@code to} on memos' own decision; to DELETED it also purges the
     * payload of every version, as {@link #tombstone} does.
     *
     * @throws dev.memos.kernel.error.ConflictException when the cube is no longer in {@code from}
     */
    void moveForSystem(CubeId id, LifecycleState from, LifecycleState to, Instant at);

    /**
     * Groups of two or more cubes in one of {@code states} whose live text is identical within a space,
     * each group in id (creation) order; at most {@code limit} groups.
     */
    List<List<CubeId>> findDuplicateGroups(Set<LifecycleState> states, int limit);

    /**
     * The cubes, not DELETED, any version of which names {@code source} among the cubes it was derived from
     * (written from it, fused from it), in id order; at most {@code limit} (memos' own decisions: no grant applies).
     */
    List<CubeId> findDerivedFrom(CubeId source, int limit);

    /** Inserts a cube memos itself derived (a consolidation): like {@link #insert}, without a grant. */
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
     * The live cubes (GENERATED, ACTIVATED or FROZEN) of one tier in a space, newest first: those the principal may
     * read, or every one when {@code principalId} is null (memos' own decisions).
     */
    List<MemCube> findInTier(String space, dev.memos.kernel.model.Tier tier, String principalId, int limit);

    /** Spaces holding live plaintext cubes that were accessed (heat above zero), hottest first (memos' own decisions). */
    List<String> findHotSpaces(int limit);

    /** A space's live plaintext cubes that were accessed (heat above zero), hottest first (memos' own decisions). */
    List<MemCube> findHottest(String space, int limit);

    /**
     * System: the searchable (not DELETED, MERGED or QUARANTINED) plaintext cubes of a space whose live version
     * names this session, the {@code limit} created last, in the order they were created (ties by id).
     */
    List<MemCube> sessionForSystem(String space, String sessionId, int limit);
}
