package dev.memos.kernel.testing;

import dev.memos.kernel.access.Grant;
import dev.memos.kernel.access.Principal;
import dev.memos.kernel.access.Role;
import dev.memos.kernel.access.Space;
import dev.memos.kernel.access.SpaceView;
import dev.memos.kernel.error.ConflictException;
import dev.memos.kernel.error.NotFoundException;
import dev.memos.kernel.error.StaleVersionException;
import dev.memos.kernel.event.KernelEvent;
import dev.memos.kernel.model.CubeHead;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.Payload;
import dev.memos.kernel.model.TextPayload;
import dev.memos.kernel.model.Tombstone;
import dev.memos.kernel.model.Usage;
import dev.memos.kernel.query.CubeQuery;
import dev.memos.kernel.query.Page;
import dev.memos.kernel.search.Heat;
import dev.memos.kernel.spi.CubeStore;
import dev.memos.kernel.spi.DirectoryStore;
import dev.memos.kernel.spi.Outbox;
import dev.memos.kernel.spi.PolicyQueries;
import dev.memos.kernel.spi.Transactions;
import dev.memos.kernel.spi.UsageStore;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A reference implementation of the store SPIs in memory. Transactions are serialised by one lock
 * and undone by restoring a snapshot, which is enough to hold it to the same contract as the
 * database stores.
 */
public final class InMemoryBackend implements Backend, CubeStore, PolicyQueries, UsageStore, DirectoryStore, Outbox,
        Transactions {
    private record CubeRow(String space, LifecycleState state, String idempotencyKey, List<MemCube> versions,
                           Usage usage) {
        MemCube live() {
            return versions.getLast().toBuilder().state(state).usage(usage).build();
        }

        CubeRow with(LifecycleState newState, List<MemCube> newVersions) {
            return new CubeRow(space, newState, idempotencyKey, newVersions, usage);
        }
    }

    private record State(Map<CubeId, CubeRow> cubes, Map<String, Principal> principals, Map<String, String> keyHashes,
                         Map<String, Space> spaces, Map<String, Grant> grants, List<KernelEvent> events,
                         Map<CubeId, Instant> idleFrom) {
        State copy() {
            return new State(new TreeMap<>(cubes), new TreeMap<>(principals), new TreeMap<>(keyHashes),
                    new TreeMap<>(spaces), new TreeMap<>(grants), new ArrayList<>(events), new TreeMap<>(idleFrom));
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private State state = new State(new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>(),
            new TreeMap<>(), new ArrayList<>(), new TreeMap<>());

    // --- Backend

    @Override
    public PolicyQueries policies() {
        return this;
    }

    @Override
    public UsageStore usage() {
        return this;
    }

    @Override public CubeStore cubes() { return this; }
    @Override public DirectoryStore directory() { return this; }
    @Override public Outbox outbox() { return this; }
    @Override public Transactions transactions() { return this; }

    /** Every event written to the outbox, in order (what the relay would publish). */
    public List<KernelEvent> events() {
        return inTransaction(() -> List.copyOf(state.events));
    }

    @Override
    public List<KernelEvent> eventsFor(CubeId id) {
        return inTransaction(() -> state.events.stream().filter(e -> id.equals(e.cubeId())).toList());
    }

    // --- Transactions

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        lock.lock();
        try {
            boolean outermost = lock.getHoldCount() == 1;
            State before = outermost ? state.copy() : null;
            try {
                return work.get();
            } catch (RuntimeException | Error e) {
                if (outermost) {
                    state = before;
                }
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    // --- Outbox

    @Override
    public void append(KernelEvent event) {
        state.events.add(event);
    }

    @Override
    public void scrub(CubeId cube) {
        state.events.replaceAll(e -> cube.equals(e.cubeId()) ? e.scrubbed() : e);
    }

    @Override
    public void forgetSpace(String space) {
        state.events.removeIf(e -> e.space().equals(space) && e.type() != dev.memos.kernel.event.EventType.SPACE_DELETED);
    }

    // --- CubeStore

    private Optional<Grant> grantOn(String space, String principalId, Role role) {
        return Optional.ofNullable(state.grants.get(space + "/" + principalId)).filter(g -> g.role().includes(role));
    }

    private boolean holds(String space, String principalId, Role role) {
        return grantOn(space, principalId, role).isPresent();
    }

    /** The role on the cube's space, and a grant that reaches the cube (its labels and purposes, or its owner). */
    private boolean reaches(CubeRow row, String principalId, Role role) {
        return grantOn(row.space, principalId, role).filter(g -> g.reaches(row.versions)).isPresent();
    }

    private Optional<CubeRow> row(CubeId id, String principalId, Role role) {
        return Optional.ofNullable(state.cubes.get(id)).filter(r -> reaches(r, principalId, role));
    }

    private CubeRow writable(CubeId id, String principalId) {
        return row(id, principalId, Role.WRITE).orElseThrow(() -> new NotFoundException("no cube " + id));
    }

    @Override
    public Optional<MemCube> find(CubeId id, String principalId, Role role) {
        return row(id, principalId, role).map(CubeRow::live);
    }

    @Override
    public Optional<MemCube> findVersion(CubeId id, int version, String principalId) {
        return row(id, principalId, Role.READ)
                .filter(r -> version >= 1 && version <= r.versions.size())
                .map(r -> r.versions.get(version - 1).toBuilder().state(r.state).build());
    }

    @Override
    public List<MemCube> versions(CubeId id, String principalId) {
        return row(id, principalId, Role.READ)
                .map(r -> r.versions.stream().map(v -> v.toBuilder().state(r.state).build()).toList())
                .orElse(List.of());
    }

    @Override
    public Page<MemCube> list(String space, String principalId, CubeQuery query) {
        if (!holds(space, principalId, Role.READ)) {
            return new Page<>(List.of(), null);
        }
        List<MemCube> matches = state.cubes.entrySet().stream()
                .filter(e -> e.getValue().space.equals(space) && reaches(e.getValue(), principalId, Role.READ))
                .filter(e -> query.after() == null || e.getKey().compareTo(query.after()) > 0)
                .flatMap(e -> query.asOf() == null ? java.util.stream.Stream.of(e.getValue().live())
                        : e.getValue().versions.stream().filter(v -> v.time().currentAt(query.asOf()))
                                .map(v -> v.toBuilder().state(e.getValue().state).usage(e.getValue().usage).build()))
                .filter(c -> query.state() == null ? c.state() != LifecycleState.DELETED && c.state() != LifecycleState.QUARANTINED : c.state() == query.state())
                .filter(c -> query.kind() == null || c.payload() instanceof TextPayload t && t.kind().equals(query.kind()))
                .filter(c -> query.tag() == null || c.payload() instanceof TextPayload t && t.tags().contains(query.tag()))
                .filter(c -> query.validAt() == null || c.time().validAt(query.validAt()))
                .sorted(Comparator.comparing(MemCube::id))
                .limit(query.limit() + 1L)
                .toList();
        return Page.fromLookahead(matches, query.limit(), c -> c.id().toString());
    }

    @Override
    public Optional<MemCube> findByIdempotencyKey(String space, String idempotencyKey, String principalId) {
        if (!holds(space, principalId, Role.READ)) {
            return Optional.empty();
        }
        return state.cubes.values().stream()
                .filter(r -> r.space.equals(space) && (idempotencyKey.equals(r.idempotencyKey)
                        || Tombstone.idempotencyKey(space, idempotencyKey).equals(r.idempotencyKey)))
                .filter(r -> reaches(r, principalId, Role.READ))
                .map(CubeRow::live)
                .findFirst();
    }

    @Override
    public void insert(MemCube cube, String idempotencyKey, String principalId) {
        if (!holds(cube.space(), principalId, Role.WRITE)) {
            throw new NotFoundException("no space '" + cube.space() + "'");
        }
        if (idempotencyKey != null && findByIdempotencyKey(cube.space(), idempotencyKey, principalId).isPresent()) {
            throw new ConflictException("idempotency key already used in space " + cube.space());
        }
        if (state.cubes.containsKey(cube.id())) {
            throw new ConflictException("cube " + cube.id() + " exists");
        }
        state.cubes.put(cube.id(), new CubeRow(cube.space(), cube.state(), idempotencyKey, List.of(cube), Usage.NONE));
    }

    @Override
    public void appendVersion(MemCube next, String principalId) {
        CubeRow row = writable(next.id(), principalId);
        if (row.versions.size() != next.version() - 1) {
            throw new StaleVersionException(next.version() - 1, row.versions.size());
        }
        List<MemCube> versions = new ArrayList<>(row.versions);
        MemCube previous = versions.removeLast();
        versions.add(previous.toBuilder().time(previous.time().withSupersededAt(next.time().recordedAt())).build());
        versions.add(next);
        state.cubes.put(next.id(), row.with(row.state, List.copyOf(versions)));
    }

    @Override
    public void updateState(CubeId id, LifecycleState from, LifecycleState to, Instant at, String principalId) {
        CubeRow row = writable(id, principalId);
        if (row.state != from) {
            throw new ConflictException("cube " + id + " is " + row.state + ", no longer " + from);
        }
        state.cubes.put(id, row.with(to, row.versions));
    }

    @Override
    public List<MemCube> findBySubject(String subject, String principalId, Role minimum, CubeId after, int limit) {
        return state.cubes.entrySet().stream()
                .filter(e -> after == null || e.getKey().compareTo(after) > 0)
                .filter(e -> e.getValue().state != LifecycleState.DELETED && reaches(e.getValue(), principalId, minimum))
                .filter(e -> e.getValue().versions.stream().anyMatch(v -> subject.equals(v.governance().subject())))
                .sorted(Map.Entry.comparingByKey())
                .limit(limit)
                .map(e -> e.getValue().live())
                .toList();
    }

    @Override
    public void tombstone(CubeId id, LifecycleState from, Instant at, String principalId) {
        updateState(id, from, LifecycleState.DELETED, at, principalId);
        CubeRow row = state.cubes.get(id);
        List<MemCube> purged = row.versions.stream()
                .map(Tombstone::of)
                .toList();
        state.cubes.put(id, new CubeRow(row.space, LifecycleState.DELETED,
                row.idempotencyKey == null ? null : Tombstone.idempotencyKey(row.space, row.idempotencyKey), purged,
                row.usage));
    }

    @Override
    public List<MemCube> findExpired(Set<LifecycleState> states, Instant now, int limit) {
        return state.cubes.values().stream().map(CubeRow::live)
                .filter(c -> states.contains(c.state()) && c.governance().expiresAt() != null
                        && !c.governance().expiresAt().isAfter(now))
                .sorted(java.util.Comparator.comparing((MemCube c) -> c.governance().expiresAt()).thenComparing(MemCube::id))
                .limit(limit).toList();
    }

    @Override
    public List<MemCube> findInTier(String space, dev.memos.kernel.model.Tier tier, String principalId, int limit) {
        if (principalId != null && !holds(space, principalId, Role.READ)) {
            return List.of();
        }
        return state.cubes.values().stream()
                .filter(r -> principalId == null || reaches(r, principalId, Role.READ)).map(CubeRow::live)
                .filter(c -> c.space().equals(space) && c.tier() == tier && (c.state() == LifecycleState.GENERATED
                        || c.state() == LifecycleState.ACTIVATED || c.state() == LifecycleState.FROZEN))
                .sorted(Comparator.comparing(MemCube::id).reversed())
                .limit(limit).toList();
    }

    private java.util.stream.Stream<MemCube> hot() {
        return state.cubes.values().stream().map(CubeRow::live)
                .filter(c -> c.tier() == dev.memos.kernel.model.Tier.PLAINTEXT && c.usage().heat() > 0
                        && (c.state() == LifecycleState.GENERATED || c.state() == LifecycleState.ACTIVATED
                        || c.state() == LifecycleState.FROZEN));
    }

    @Override
    public List<String> findHotSpaces(int limit) {
        Map<String, Double> hottest = new java.util.HashMap<>();
        hot().forEach(c -> hottest.merge(c.space(), c.usage().heat(), Math::max));
        return hottest.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey())).limit(limit).map(Map.Entry::getKey).toList();
    }

    @Override
    public List<MemCube> findHottest(String space, int limit) {
        return hot().filter(c -> c.space().equals(space))
                .sorted(Comparator.comparingDouble((MemCube c) -> c.usage().heat()).reversed().thenComparing(MemCube::id))
                .limit(limit).toList();
    }

    @Override
    public List<MemCube> sessionForSystem(String space, String sessionId, int limit) {
        java.util.function.Function<CubeRow, Instant> created = r -> r.versions.getFirst().time().recordedAt();
        List<CubeRow> rows = state.cubes.values().stream()
                .filter(r -> r.space.equals(space) && sessionId.equals(r.live().provenance().sessionId())
                        && r.live().tier() == dev.memos.kernel.model.Tier.PLAINTEXT && r.state != LifecycleState.DELETED
                        && r.state != LifecycleState.MERGED && r.state != LifecycleState.QUARANTINED)
                .sorted(Comparator.comparing(created).thenComparing(r -> r.live().id()).reversed())
                .limit(limit).toList();
        return rows.reversed().stream().map(CubeRow::live).toList();
    }

    @Override
    public List<MemCube> findIdle(LifecycleState wanted, Instant before, int limit) {
        java.util.function.Function<MemCube, Instant> idleSince = c -> state.idleFrom.containsKey(c.id())
                ? state.idleFrom.get(c.id()) : state.cubes.get(c.id()).versions.getFirst().time().recordedAt();
        return state.cubes.values().stream().map(CubeRow::live)
                .filter(c -> c.state() == wanted && idleSince.apply(c).isBefore(before))
                .sorted(java.util.Comparator.comparing(idleSince).thenComparing(MemCube::id))
                .limit(limit).toList();
    }

    @Override
    public List<CubeId> findDerivedFrom(CubeId source, int limit) {
        return state.cubes.entrySet().stream()
                .filter(e -> e.getValue().state != LifecycleState.DELETED)
                .filter(e -> e.getValue().versions.stream().anyMatch(v -> v.provenance().derivedFrom().contains(source)))
                .map(Map.Entry::getKey).sorted().limit(limit).toList();
    }

    @Override
    public List<List<CubeId>> findDuplicateGroups(Set<LifecycleState> states, int limit) {
        Map<List<String>, List<CubeId>> groups = new java.util.LinkedHashMap<>();
        state.cubes.values().stream().map(CubeRow::live)
                .filter(c -> states.contains(c.state()) && c.payload() instanceof TextPayload)
                .sorted(java.util.Comparator.comparing(MemCube::id))
                .forEach(c -> groups.computeIfAbsent(List.of(c.space(), ((TextPayload) c.payload()).text()),
                        k -> new ArrayList<>()).add(c.id()));
        return groups.values().stream().filter(g -> g.size() > 1).limit(limit).map(List::copyOf).toList();
    }

    @Override
    public void insertForSystem(MemCube cube) {
        if (state.cubes.containsKey(cube.id())) {
            throw new ConflictException("cube " + cube.id() + " exists");
        }
        state.cubes.put(cube.id(), new CubeRow(cube.space(), cube.state(), null, List.of(cube), Usage.NONE));
    }

    @Override
    public void importForSystem(List<MemCube> versions, String idempotencyKey) {
        MemCube live = versions.getLast();
        if (state.cubes.containsKey(live.id())) {
            throw new ConflictException("cube " + live.id() + " exists");
        }
        if (idempotencyKey != null && state.cubes.values().stream()
                .anyMatch(row -> row.space.equals(live.space()) && idempotencyKey.equals(row.idempotencyKey))) {
            throw new ConflictException("idempotency key already used in space " + live.space());
        }
        state.cubes.put(live.id(), new CubeRow(live.space(), live.state(), idempotencyKey, List.copyOf(versions),
                Usage.NONE));
    }

    @Override
    public void moveForSystem(CubeId id, LifecycleState from, LifecycleState to, Instant at) {
        CubeRow row = state.cubes.get(id);
        if (row == null || row.state != from) {
            throw new ConflictException("cube " + id + " is no longer " + from);
        }
        if (to == LifecycleState.DELETED) {
            state.cubes.put(id, new CubeRow(row.space, to,
                    row.idempotencyKey == null ? null : Tombstone.idempotencyKey(row.space, row.idempotencyKey),
                    row.versions.stream().map(Tombstone::of).toList(), row.usage));
        } else {
            state.cubes.put(id, row.with(to, row.versions));
        }
    }

    @Override
    public Map<CubeId, MemCube> findAll(Collection<CubeId> ids, String principalId) {
        Map<CubeId, MemCube> found = new LinkedHashMap<>();
        ids.forEach(id -> find(id, principalId, Role.READ).ifPresent(c -> found.put(id, c)));
        return found;
    }

    @Override
    public Map<CubeId, CubeHead> findHeads(Collection<CubeId> ids, String principalId) {
        Map<CubeId, CubeHead> found = new LinkedHashMap<>();
        findAll(ids, principalId).forEach((id, cube) -> found.put(id, CubeHead.of(cube)));
        return found;
    }

    @Override
    public Optional<String> idempotencyKeyForSystem(CubeId id) {
        return Optional.ofNullable(state.cubes.get(id)).map(r -> r.idempotencyKey);
    }

    @Override
    public Optional<MemCube> findForSystem(CubeId id) {
        return Optional.ofNullable(state.cubes.get(id)).map(CubeRow::live);
    }

    @Override
    public Page<MemCube> scanForSystem(CubeId after, int limit) {
        List<MemCube> found = state.cubes.entrySet().stream()
                .filter(e -> after == null || e.getKey().compareTo(after) > 0)
                .sorted(Map.Entry.comparingByKey())
                .limit(limit + 1L)
                .map(e -> e.getValue().live())
                .toList();
        return Page.fromLookahead(found, limit, c -> c.id().toString());
    }

    @Override
    public void recordUsage(Map<CubeId, Long> hits, Instant at, Heat heat) {
        hits.forEach((id, n) -> {
            CubeRow row = state.cubes.get(id);
            if (row != null) {
                Usage u = row.usage;
                Usage next = new Usage(u.accessCount() + n, at,
                        heat.after(u.heat(), u.lastAccessedAt(), u.accessCount(), n, at));
                state.idleFrom.put(id, heat.idleFrom(at, next.accessCount()));
                state.cubes.put(id, new CubeRow(row.space, row.state, row.idempotencyKey, row.versions, next));
            }
        });
    }

    @Override
    public long countLive(String space) {
        return state.cubes.values().stream()
                .filter(r -> r.space.equals(space) && r.state != LifecycleState.DELETED).count();
    }

    @Override
    public void deleteAll(String space) {
        state.cubes.values().removeIf(r -> r.space.equals(space));
    }

    // --- DirectoryStore

    @Override
    public Optional<Principal> principalByKeyHash(String keyHash) {
        return state.keyHashes.entrySet().stream().filter(e -> e.getValue().equals(keyHash))
                .map(e -> state.principals.get(e.getKey())).findFirst();
    }

    @Override
    public Optional<Principal> principal(String id) {
        return Optional.ofNullable(state.principals.get(id));
    }

    @Override
    public Optional<Principal> firstAdmin() {
        return state.principals.values().stream().filter(Principal::admin)
                .min(Comparator.comparing(Principal::createdAt));
    }

    @Override
    public void insertPrincipal(Principal principal, String keyHash) {
        if (state.keyHashes.containsValue(keyHash) || state.principals.containsKey(principal.id())) {
            throw new ConflictException("principal or key exists");
        }
        state.principals.put(principal.id(), principal);
        state.keyHashes.put(principal.id(), keyHash);
    }

    @Override
    public void updateKeyHash(String principalId, String keyHash) {
        state.keyHashes.put(principalId, keyHash);
    }

    @Override
    public void insertSpace(Space space) {
        if (state.spaces.putIfAbsent(space.name(), space) != null) {
            throw new ConflictException("space '" + space.name() + "' exists");
        }
    }

    @Override
    public Optional<SpaceView> space(String name, String principalId) {
        return Optional.ofNullable(state.spaces.get(name))
                .flatMap(s -> grantOn(name, principalId, Role.READ).map(g -> new SpaceView(s, g.role())));
    }

    @Override
    public List<SpaceView> spaces(String principalId) {
        return state.spaces.keySet().stream().map(name -> space(name, principalId))
                .flatMap(Optional::stream).toList();
    }

    @Override
    public List<Grant> grants(String space) {
        return state.grants.values().stream().filter(g -> g.space().equals(space))
                .sorted(Comparator.comparing(Grant::principalId)).toList();
    }

    @Override
    public void putGrant(Grant grant) {
        state.grants.put(grant.space() + "/" + grant.principalId(), grant);
    }

    @Override
    public boolean deleteGrant(String space, String principalId) {
        return state.grants.remove(space + "/" + principalId) != null;
    }

    @Override
    public long countGrants(String space, Role role) {
        return grants(space).stream().filter(g -> g.role() == role).count();
    }

    @Override
    public void deleteSpace(String space) {
        state.spaces.remove(space);
        state.grants.values().removeIf(g -> g.space().equals(space));
    }

    @Override
    public String toString() {
        return "in-memory";
    }

}
