package dev.memos.kernel;

import dev.memos.kernel.access.ApiKeys;
import dev.memos.kernel.access.Grant;
import dev.memos.kernel.access.Principal;
import dev.memos.kernel.access.Role;
import dev.memos.kernel.access.Space;
import dev.memos.kernel.access.SpaceView;
import dev.memos.kernel.error.ConflictException;
import dev.memos.kernel.error.ForbiddenException;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.error.NotFoundException;
import dev.memos.kernel.error.UnauthenticatedException;
import dev.memos.kernel.event.EventType;
import dev.memos.kernel.event.KernelEvent;
import dev.memos.kernel.model.Check;
import dev.memos.kernel.model.Limits;
import dev.memos.kernel.spi.AuditLog;
import dev.memos.kernel.spi.CubeStore;
import dev.memos.kernel.spi.DirectoryStore;
import dev.memos.kernel.spi.Outbox;
import dev.memos.kernel.spi.Transactions;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/** Principals, API keys, spaces and grants: who may act on which memories. */
public final class Directory {
    /** Keys given by an operator (e.g. MEMOS_ADMIN_KEY) must be at least this long. */
    public static final int MIN_PRESET_KEY_LENGTH = 24;

    private final DirectoryStore store;
    private final CubeStore cubes;
    private final Outbox outbox;
    private final Transactions transactions;
    private final Clock clock;
    private final Guard guard;
    private final AuditLog audit;

    /** A directory without an audit trail (tests of other things). */
    public Directory(DirectoryStore store, CubeStore cubes, Outbox outbox, Transactions transactions, Clock clock) {
        this(store, cubes, outbox, transactions, clock, Audit.NONE);
    }

    /** @param audit records key, grant and space changes in the transaction that makes them */
    public Directory(DirectoryStore store, CubeStore cubes, Outbox outbox, Transactions transactions, Clock clock,
                     AuditLog audit) {
        this.audit = Objects.requireNonNull(audit, "audit");
        this.store = Objects.requireNonNull(store, "store");
        this.cubes = Objects.requireNonNull(cubes, "cubes");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.guard = new Guard(store, cubes);
    }

    /** A principal and the only copy of its API key there will ever be. */
    public record IssuedKey(Principal principal, String apiKey) {
    }

    public Principal authenticate(String apiKey) {
        if (apiKey == null || apiKey.isBlank()) {
            throw new UnauthenticatedException("an API key is required: send 'Authorization: Bearer <key>'");
        }
        String hash = ApiKeys.hash(apiKey.strip());
        return transactions.inTransaction(() -> store.principalByKeyHash(hash))
                .orElseThrow(() -> new UnauthenticatedException("the API key matches no principal"));
    }

    /**
     * Makes sure an administrator exists. With {@code presetKey} the administrator's key becomes that
     * key; without, a first administrator gets a fresh key.
     *
     * @param keySink receives a freshly generated key before the administrator is committed, to store it
     *                for the operator; if it throws, no administrator is created
     * @return the freshly generated key, when one was generated
     */
    public Optional<String> bootstrapAdmin(String presetKey, Consumer<String> keySink) {
        if (presetKey != null && presetKey.strip().length() < MIN_PRESET_KEY_LENGTH) {
            throw new InvalidException("MEMOS_ADMIN_KEY", "must be at least " + MIN_PRESET_KEY_LENGTH + " characters");
        }
        return transactions.inTransaction(() -> {
            Optional<Principal> admin = store.firstAdmin();
            if (presetKey != null) {
                String hash = ApiKeys.hash(presetKey.strip());
                if (admin.isPresent()) {
                    if (store.principalByKeyHash(hash).isEmpty()) {
                        store.updateKeyHash(admin.get().id(), hash);
                        audit.append(clock.instant(), SYSTEM, "key.replaced", null, admin.get().id(),
                                "administrator key set from MEMOS_ADMIN_KEY");
                        outbox.append(keyChanged(admin.get().id(), SYSTEM));
                    }
                } else {
                    Principal first = newPrincipal("admin", Principal.Kind.USER, true);
                    store.insertPrincipal(first, hash);
                    audit.append(clock.instant(), SYSTEM, "principal.created", null, first.id(),
                            "first administrator, key from MEMOS_ADMIN_KEY");
                }
                return Optional.empty();
            }
            if (admin.isPresent()) {
                return Optional.empty();
            }
            String key = ApiKeys.generate();
            Principal first = newPrincipal("admin", Principal.Kind.USER, true);
            store.insertPrincipal(first, ApiKeys.hash(key));
            audit.append(clock.instant(), SYSTEM, "principal.created", null, first.id(), "first administrator, key generated");
            keySink.accept(key);
            return Optional.of(key);
        });
    }

    public IssuedKey createPrincipal(Principal actor, String name, Principal.Kind kind, boolean admin) {
        if (!actor.admin()) {
            throw new ForbiddenException("only an administrator may create principals");
        }
        Principal principal = newPrincipal(name, Objects.requireNonNullElse(kind, Principal.Kind.USER), admin);
        String key = ApiKeys.generate();
        transactions.inTransaction(() -> {
            store.insertPrincipal(principal, ApiKeys.hash(key));
            audit.append(clock.instant(), actor.id(), "principal.created", null, principal.id(),
                    "kind=" + principal.kind() + " admin=" + principal.admin() + "; key issued");
            return null;
        });
        return new IssuedKey(principal, key);
    }

    /**
     * Replaces the principal's API key with a new one, shown this once; the old key stops working at once on this
     * instance and, through the event {@link EventType#PRINCIPAL_KEY_CHANGED}, on every other. An administrator may
     * replace any key, a principal its own.
     */
    public IssuedKey replaceKey(Principal actor, String principalId) {
        if (!actor.admin() && !actor.id().equals(principalId)) {
            throw new ForbiddenException("only an administrator or the principal itself may replace its key");
        }
        String key = ApiKeys.generate();
        Principal principal = transactions.inTransaction(() -> {
            Principal found = store.principal(principalId)
                    .orElseThrow(() -> new NotFoundException("no principal " + principalId));
            store.updateKeyHash(found.id(), ApiKeys.hash(key));
            audit.append(clock.instant(), actor.id(), "key.replaced", null, found.id(),
                    actor.id().equals(found.id()) ? "by the principal itself" : "by an administrator");
            outbox.append(keyChanged(found.id(), actor.id()));
            return found;
        });
        return new IssuedKey(principal, key);
    }

    /** The event that makes every instance forget a principal's old key; it belongs to no space. */
    private KernelEvent keyChanged(String principalId, String actor) {
        return new KernelEvent(UUID.randomUUID(), EventType.PRINCIPAL_KEY_CHANGED, NO_SPACE, null, 0, actor,
                clock.instant(), Map.of("principal", principalId));
    }

    /** The space of events about no space (a principal's key). No space can have this name. */
    public static final String NO_SPACE = "";

    public SpaceView createSpace(Principal actor, String name, String description) {
        Instant now = clock.instant();
        Space space = new Space(name, Check.maxLength("description", description, Limits.MAX_DESCRIPTION), actor.id(), now);
        return transactions.inTransaction(() -> {
            store.insertSpace(space);
            store.putGrant(Grant.unrestricted(name, actor.id(), Role.ADMIN, now));
            outbox.append(event(EventType.SPACE_CREATED, name, actor, Map.of()));
            audit.append(now, actor.id(), "space.created", name, name, null);
            return new SpaceView(space, Role.ADMIN);
        });
    }

    public List<SpaceView> spaces(Principal actor) {
        return transactions.inTransaction(() -> store.spaces(actor.id()));
    }

    public SpaceView space(Principal actor, String name) {
        Space.requireName(name);
        return transactions.inTransaction(() -> guard.space(actor, name, Role.READ));
    }

    /**
     * Deletes a space with its grants, cubes and versions. A space that still holds cubes that are not
     * DELETED is only removed with {@code force}.
     */
    public void deleteSpace(Principal actor, String name, boolean force) {
        Space.requireName(name);
        transactions.inTransaction(() -> {
            guard.space(actor, name, Role.ADMIN);
            long live = cubes.countLive(name);
            if (live > 0 && !force) {
                throw new ConflictException("space '" + name + "' still holds " + live
                        + " cubes; delete them first or pass force=true");
            }
            cubes.deleteAll(name);
            store.deleteSpace(name);
            outbox.append(event(EventType.SPACE_DELETED, name, actor, Map.of("cubes", Long.toString(live))));
            return null;
        });
    }

    public List<Grant> grants(Principal actor, String space) {
        Space.requireName(space);
        return transactions.inTransaction(() -> {
            guard.space(actor, space, Role.ADMIN);
            return store.grants(space);
        });
    }

    /** Creates or replaces a principal's grant on a space, with the role's default clearances and no purpose. */
    public Grant grant(Principal actor, String space, String principalId, Role role) {
        return grant(actor, space, principalId, role, null, null);
    }

    /**
     * Creates or replaces a principal's grant on a space.
     *
     * @param clearances the sensitivity labels the grant is cleared for; null: {@code *} for an ADMIN grant (an
     *                   administrator could clear itself anyway), none for READ and WRITE
     * @param purposes   the purposes the grant is bound to; null or empty: not bound
     */
    public Grant grant(Principal actor, String space, String principalId, Role role, Set<String> clearances,
                       Set<String> purposes) {
        Space.requireName(space);
        Objects.requireNonNull(role, "role");
        Set<String> cleared = clearances != null ? clearances : role == Role.ADMIN ? Set.of(Grant.ALL) : Set.of();
        Grant grant = new Grant(space, principalId, role, clock.instant(), cleared, purposes);
        return transactions.inTransaction(() -> {
            guard.space(actor, space, Role.ADMIN);
            store.principal(principalId).orElseThrow(() -> new NotFoundException("no principal '" + principalId + "'"));
            if (role != Role.ADMIN) {
                requireAnotherAdmin(space, principalId);
            }
            store.putGrant(grant);
            outbox.append(event(EventType.GRANT_CHANGED, space, actor,
                    Map.of("principal", principalId, "role", role.name())));
            audit.append(grant.grantedAt(), actor.id(), "grant.changed", space, principalId, "role=" + role
                    + " clearances=" + grant.clearances() + " purposes=" + grant.purposes());
            return grant;
        });
    }

    public void revoke(Principal actor, String space, String principalId) {
        Space.requireName(space);
        transactions.inTransaction(() -> {
            guard.space(actor, space, Role.ADMIN);
            requireAnotherAdmin(space, principalId);
            if (!store.deleteGrant(space, principalId)) {
                throw new NotFoundException("principal '" + principalId + "' holds no grant on space '" + space + "'");
            }
            outbox.append(event(EventType.GRANT_CHANGED, space, actor, Map.of("principal", principalId, "role", "NONE")));
            audit.append(clock.instant(), actor.id(), "grant.revoked", space, principalId, null);
            return null;
        });
    }

    /** A space must keep at least one administrator, or nobody could manage or delete it. */
    private void requireAnotherAdmin(String space, String principalId) {
        boolean isAdmin = store.grants(space).stream()
                .anyMatch(g -> g.principalId().equals(principalId) && g.role() == Role.ADMIN);
        if (isAdmin && store.countGrants(space, Role.ADMIN) <= 1) {
            throw new ConflictException("principal '" + principalId + "' is the last administrator of space '"
                    + space + "'; grant ADMIN to another principal first");
        }
    }

    /** The actor of what memos does on its own (at start). */
    static final String SYSTEM = "memos";

    private Principal newPrincipal(String name, Principal.Kind kind, boolean admin) {
        return new Principal(UUID.randomUUID().toString(), name, kind, admin, clock.instant());
    }

    private KernelEvent event(EventType type, String space, Principal actor, Map<String, String> data) {
        return new KernelEvent(UUID.randomUUID(), type, space, null, 0, actor.id(), clock.instant(), data);
    }
}
