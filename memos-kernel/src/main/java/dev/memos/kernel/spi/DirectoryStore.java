package dev.memos.kernel.spi;

import dev.memos.kernel.access.Grant;
import dev.memos.kernel.access.Principal;
import dev.memos.kernel.access.Role;
import dev.memos.kernel.access.Space;
import dev.memos.kernel.access.SpaceView;

import java.util.List;
import java.util.Optional;

/** Persistence of principals, spaces and grants. Callers run these inside {@link Transactions#inTransaction}. */
public interface DirectoryStore {

    Optional<Principal> principalByKeyHash(String keyHash);

    Optional<Principal> principal(String id);

    /** The oldest administrator, if any. */
    Optional<Principal> firstAdmin();

    /** @throws dev.memos.kernel.error.ConflictException if the key hash is already in use */
    void insertPrincipal(Principal principal, String keyHash);

    void updateKeyHash(String principalId, String keyHash);

    /** @throws dev.memos.kernel.error.ConflictException if the name is taken */
    void insertSpace(Space space);

    /** The space with the principal's role, if the principal holds any grant on it. */
    Optional<SpaceView> space(String name, String principalId);

    /** Every space the principal holds a grant on, by name. */
    List<SpaceView> spaces(String principalId);

    List<Grant> grants(String space);

    /** Creates or replaces the principal's grant on the space. */
    void putGrant(Grant grant);

    /** @return whether a grant was removed */
    boolean deleteGrant(String space, String principalId);

    long countGrants(String space, Role role);

    /** Removes the space and its grants (its cubes are removed through {@link CubeStore#deleteAll}). */
    void deleteSpace(String space);
}
