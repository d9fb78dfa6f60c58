package dev.memos.cubes.store.sql;

import dev.memos.kernel.access.Role;
import dev.memos.kernel.error.ConflictException;
import dev.memos.kernel.error.NotFoundException;
import dev.memos.kernel.error.StaleVersionException;
import dev.memos.kernel.model.CubeHead;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.Tier;
import dev.memos.kernel.model.Tombstone;
import dev.memos.kernel.query.CubeQuery;
import dev.memos.kernel.query.Page;
import dev.memos.kernel.search.Heat;
import dev.memos.kernel.spi.CubeStore;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import org.hibernate.Session;
import org.hibernate.jpa.HibernateHints;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The cube store on a relational database (H2 or PostgreSQL) through Hibernate ORM. Every query
 * that names a cube or a space carries the grant check, so tenancy holds whatever id a caller passes.
 */
@ApplicationScoped
public class SqlCubeStore implements CubeStore {
    /** Whether the database is PostgreSQL; found on first use ({@link #queueForKey}). */
    private volatile Boolean postgres;

    /**
     * Holds when the principal has at least {@code minimum} on the space of cube {@code c} and the grant reaches
     * the cube ({@link dev.memos.kernel.access.Grant#reaches}): the principal owns it, or the grant clears every
     * label the cube has carried ({@code *}, the label, or a label above it: {@code pii} clears {@code pii.email})
     * and, when bound to purposes, serves every version's purpose. The roles are written into the query as
     * literals (enum names, never input): an {@code in :list} parameter would make Hibernate interpret the query
     * anew at every call.
     */
    static String granted(Role minimum) {
        return "exists (select g from GrantEntity g where g.spaceName = c.spaceName"
                + " and g.principalId = :principal and g.role in " + roleList(minimum)
                + " and (c.ownerId = :principal or (" + CLEARED + " and " + SERVED + ")))";
    }

    /** Every label of cube {@code c} is cleared by grant {@code g}. */
    private static final String CLEARED = "(g.clearAll = true or not exists (select l from CubeLabelEntity l"
            + " where l.cubeId = c.id and not exists (select k from GrantClearanceEntity k where k.spaceName = g.spaceName"
            + " and k.principalId = g.principalId and (k.label = l.label"
            + " or substring(l.label, 1, length(k.label) + 1) = concat(k.label, '.')))))";

    /** Grant {@code g} is bound to no purpose, or to every purpose a version of cube {@code c} has. */
    private static final String SERVED = "(g.purposeBound = false or not exists (select pv from CubeVersionEntity pv"
            + " where pv.cubeId = c.id and (pv.purpose is null or not exists (select p from GrantPurposeEntity p"
            + " where p.spaceName = g.spaceName and p.principalId = g.principalId and p.purpose = pv.purpose))))";

    private static final String LIVE = "select c, v from CubeEntity c, CubeVersionEntity v"
            + " where v.cubeId = c.id and v.version = c.version";

    private static final int CHUNK = 500;
    /**
     * The parameter counts the queries of {@link #findAll} and {@link #findHeads} come in: the ids are padded
     * (repeating the last) up to the next size, so one search's candidates (up to 200) take one query, and
     * Hibernate translates only these few query texts — a list-valued parameter would be translated again at
     * every call.
     */
    private static final int[] ID_LIST_SIZES = {16, 32, 64, 128, 256};
    private static final Map<Integer, String> FIND_ALL = byIds(LIVE + " and");
    private static final Map<Integer, String> FIND_HEADS = byIds("select c from CubeEntity c where");

    /** {@code select} followed by an id list of each size and the read grant. */
    private static Map<Integer, String> byIds(String select) {
        return Arrays.stream(ID_LIST_SIZES).boxed().collect(Collectors.toUnmodifiableMap(n -> n, n -> select
                + " c.id in (" + String.join(", ", IntStream.range(0, n).mapToObj(i -> ":id" + i).toList()) + ") and "
                + granted(Role.READ)));
    }

    private static EntityManager em() {
        return Panache.getEntityManager();
    }

    static String roleList(Role minimum) {
        return Role.atLeast(minimum).stream().map(r -> "'" + r.name() + "'").collect(Collectors.joining(", ", "(", ")"));
    }

    private static List<MemCube> cubes(List<Object[]> rows) {
        return rows.stream().map(r -> Rows.cube((CubeEntity) r[0], (CubeVersionEntity) r[1])).toList();
    }

    @Override
    public Optional<MemCube> find(CubeId id, String principalId, Role role) {
        return cubes(em().createQuery(LIVE + " and c.id = :id and " + granted(role), Object[].class)
                .setParameter("id", id.value())
                .setParameter("principal", principalId)
                .getResultList()).stream().findFirst();
    }

    @Override
    public Optional<MemCube> findVersion(CubeId id, int version, String principalId) {
        return cubes(em().createQuery("select c, v from CubeEntity c, CubeVersionEntity v where v.cubeId = c.id"
                        + " and c.id = :id and v.version = :version and " + granted(Role.READ), Object[].class)
                .setParameter("id", id.value())
                .setParameter("version", version)
                .setParameter("principal", principalId)
                .getResultList()).stream().findFirst();
    }

    @Override
    public List<MemCube> versions(CubeId id, String principalId) {
        return cubes(em().createQuery("select c, v from CubeEntity c, CubeVersionEntity v where v.cubeId = c.id"
                        + " and c.id = :id and " + granted(Role.READ) + " order by v.version", Object[].class)
                .setParameter("id", id.value())
                .setParameter("principal", principalId)
                .getResultList());
    }

    @Override
    public Page<MemCube> list(String space, String principalId, CubeQuery query) {
        Map<String, Object> params = new HashMap<>();
        StringBuilder jpql;
        if (query.asOf() == null) {
            jpql = new StringBuilder(LIVE);
        } else {
            // the version current at that recorded time; kind, tags and validity are that version's
            jpql = new StringBuilder("select c, v from CubeEntity c, CubeVersionEntity v where v.cubeId = c.id"
                    + " and v.recordedAt <= :asOf and (v.supersededAt is null or v.supersededAt > :asOf)");
            params.put("asOf", query.asOf());
        }
        jpql.append(" and c.spaceName = :space and ").append(granted(Role.READ));
        params.put("space", space);
        params.put("principal", principalId);
        if (query.state() == null) {
            jpql.append(" and c.state not in (:hidden)");
            params.put("hidden", List.of(LifecycleState.DELETED.name(), LifecycleState.QUARANTINED.name()));
        } else {
            jpql.append(" and c.state = :state");
            params.put("state", query.state().name());
        }
        String of = query.asOf() == null ? "c" : "v";
        if (query.kind() != null) {
            jpql.append(" and ").append(of).append(".kind = :kind");
            params.put("kind", query.kind());
        }
        if (query.tag() != null) {
            if (query.asOf() == null) {
                jpql.append(" and exists (select t from CubeTagEntity t where t.cubeId = c.id and t.tag = :tag)");
                params.put("tag", query.tag());
            } else {
                // that version's comma-joined tags; _ is a tag character and a LIKE wildcard
                jpql.append(" and concat(',', v.tags, ',') like :tagged escape '!'");
                params.put("tagged", "%," + query.tag().replace("_", "!_") + ",%");
            }
        }
        if (query.validAt() != null) {
            jpql.append(" and (").append(of).append(".validFrom is null or ").append(of).append(".validFrom <= :at) and (")
                    .append(of).append(".validTo is null or ").append(of).append(".validTo > :at)");
            params.put("at", query.validAt());
        }
        if (query.after() != null) {
            jpql.append(" and c.id > :after");
            params.put("after", query.after().value());
        }
        jpql.append(" order by c.id");
        TypedQuery<Object[]> typed = em().createQuery(jpql.toString(), Object[].class).setMaxResults(query.limit() + 1);
        params.forEach(typed::setParameter);
        return Page.fromLookahead(cubes(typed.getResultList()), query.limit(), c -> c.id().toString());
    }

    /**
     * The cube written with this key, or the tombstone of an erased one (which keeps only a hash of the key). Two
     * lookups by equality, not one {@code in (key, hash)}: H2 answers an {@code in} on the second column of the
     * unique (space, key) index by scanning the whole space, which made each Kafka record's idempotency check cost
     * as much as the space is large (ingestion fell to ~200 records/s at 50,000 cubes).
     */
    @Override
    public Optional<MemCube> findByIdempotencyKey(String space, String idempotencyKey, String principalId) {
        queueForKey(space, idempotencyKey);
        Optional<MemCube> written = byIdempotencyKey(space, idempotencyKey, principalId);
        return written.isPresent() ? written
                : byIdempotencyKey(space, Tombstone.idempotencyKey(space, idempotencyKey), principalId);
    }

    private Optional<MemCube> byIdempotencyKey(String space, String key, String principalId) {
        return cubes(em().createQuery(LIVE + " and c.spaceName = :space and c.idempotencyKey = :key and "
                                + granted(Role.READ), Object[].class)
                .setParameter("space", space)
                .setParameter("key", key)
                .setParameter("principal", principalId)
                .getResultList()).stream().findFirst();
    }

    /**
     * On PostgreSQL, writers of one idempotency key queue here (a transaction-scoped advisory lock) until the
     * first commits, so a later one finds the first's cube instead of violating the unique index: the server
     * writes a violation's key values into its log, a file memos cannot erase. Elsewhere the index decides.
     */
    private void queueForKey(String space, String idempotencyKey) {
        if (postgres == null) {
            postgres = em().unwrap(Session.class).doReturningWork(connection ->
                    "PostgreSQL".equalsIgnoreCase(connection.getMetaData().getDatabaseProductName()));
        }
        if (postgres) {
            em().createNativeQuery("select 1 from (select pg_advisory_xact_lock(hashtextextended(:key, 0))) queued")
                    .setParameter("key", space + "/" + idempotencyKey)
                    .getSingleResult();
        }
    }

    @Override
    public void insert(MemCube cube, String idempotencyKey, String principalId) {
        long granted = em().createQuery("select count(g) from GrantEntity g where g.spaceName = :space"
                        + " and g.principalId = :principal and g.role in " + roleList(Role.WRITE), Long.class)
                .setParameter("space", cube.space())
                .setParameter("principal", principalId)
                .getSingleResult();
        if (granted == 0) {
            throw new NotFoundException("no space '" + cube.space() + "'");
        }
        persistNew(cube, idempotencyKey);
    }

    @Override
    public void insertForSystem(MemCube cube) {
        persistNew(cube, null);
    }

    @Override
    public void importForSystem(List<MemCube> versions, String idempotencyKey) {
        MemCube live = versions.getLast();
        SqlErrors.translate("importing cube " + live.id(), () -> {
            List<Object> rows = new ArrayList<>();
            CubeEntity cube = Rows.cubeRow(live, idempotencyKey, versions.getFirst().time().recordedAt());
            cube.updatedAt = live.time().recordedAt();
            rows.add(cube);
            versions.forEach(v -> rows.add(Rows.versionRow(v)));
            rows.addAll(tagRows(live));
            rows.addAll(labelRows(live.id(), versions.stream().flatMap(v -> v.governance().sensitivity().stream()).toList()));
            rows.forEach(em()::persist);
            em().flush();
            rows.forEach(em()::detach);
            return null;
        });
    }

    private void persistNew(MemCube cube, String idempotencyKey) {
        SqlErrors.translate("writing cube " + cube.id(), () -> {
            List<Object> rows = new ArrayList<>();
            rows.add(Rows.cubeRow(cube, idempotencyKey, cube.time().recordedAt()));
            rows.add(Rows.versionRow(cube));
            rows.addAll(tagRows(cube));
            rows.addAll(labelRows(cube.id(), cube.governance().sensitivity()));
            rows.forEach(em()::persist);
            em().flush();
            // Written rows are not read back through this session: detached, they cost no dirty check at
            // every later flush of a transaction that writes many cubes (ingestion batches).
            rows.forEach(em()::detach);
            return null;
        });
    }

    @Override
    public void appendVersion(MemCube next, String principalId) {
        int expected = next.version() - 1;
        Instant at = next.time().recordedAt();
        SqlErrors.translate("writing version " + next.version() + " of cube " + next.id(), () -> {
            int updated;
            try {
                updated = em().createQuery("update CubeEntity c set c.version = :next, c.kind = :kind,"
                                + " c.validFrom = :validFrom, c.validTo = :validTo, c.expiresAt = :expiresAt,"
                                + " c.priority = :priority, c.recordedAt = :at, c.updatedAt = :at"
                                + " where c.id = :id and c.version = :expected and " + granted(Role.WRITE))
                        .setParameter("next", next.version())
                        .setParameter("kind", Rows.kind(next))
                        .setParameter("validFrom", next.time().validFrom())
                        .setParameter("validTo", next.time().validTo())
                        .setParameter("expiresAt", next.governance().expiresAt())
                        .setParameter("priority", next.governance().priority())
                        .setParameter("at", at)
                        .setParameter("id", next.id().value())
                        .setParameter("expected", expected)
                        .setParameter("principal", principalId)
                        .executeUpdate();
            } catch (RuntimeException raced) {
                if (SqlErrors.translate("", raced) instanceof ConflictException) {
                    throw new StaleVersionException(expected, -1);
                }
                throw raced;
            }
            if (updated != 1) {
                throw new StaleVersionException(expected, -1);
            }
            em().createQuery("update CubeVersionEntity v set v.supersededAt = :at"
                            + " where v.cubeId = :id and v.version = :expected")
                    .setParameter("at", at)
                    .setParameter("id", next.id().value())
                    .setParameter("expected", expected)
                    .executeUpdate();
            em().persist(Rows.versionRow(next));
            replaceTags(next);
            addLabels(next);
            em().flush();
            return null;
        });
    }

    @Override
    public void updateState(CubeId id, LifecycleState from, LifecycleState to, Instant at, String principalId) {
        int updated = SqlErrors.translate("moving cube " + id + " to " + to, () ->
                em().createQuery("update CubeEntity c set c.state = :to, c.updatedAt = :at"
                                + " where c.id = :id and c.state = :from and " + granted(Role.WRITE))
                        .setParameter("to", to.name())
                        .setParameter("at", at)
                        .setParameter("id", id.value())
                        .setParameter("from", from.name())
                        .setParameter("principal", principalId)
                        .executeUpdate());
        if (updated != 1) {
            throw new ConflictException("cube " + id + " is no longer " + from + " (changed concurrently, or not yours)");
        }
    }

    @Override
    public List<MemCube> findBySubject(String subject, String principalId, Role minimum, CubeId after, int limit) {
        TypedQuery<Object[]> query = em().createQuery(LIVE + " and c.state <> 'DELETED' and c.id in (select sv.cubeId from"
                        + " CubeVersionEntity sv where sv.subject = :subject) and " + granted(minimum)
                        + (after == null ? "" : " and c.id > :after") + " order by c.id", Object[].class)
                .setParameter("subject", subject)
                .setParameter("principal", principalId)
                .setMaxResults(limit);
        if (after != null) {
            query.setParameter("after", after.value());
        }
        return cubes(query.getResultList());
    }

    @Override
    public void tombstone(CubeId id, LifecycleState from, Instant at, String principalId) {
        updateState(id, from, LifecycleState.DELETED, at, principalId);
        purge(id);
    }

    @Override
    public List<MemCube> findExpired(Set<LifecycleState> states, Instant now, int limit) {
        // One query per state, each an equality plus a range on the (state, expires_at) index; the lower bound
        // starts the range after the cubes without expiry (H2 sorts nulls first and would walk every one of them:
        // 1.6 s a run at a million cubes). With "state in (…)" H2 used the state alone and scanned every cube.
        List<MemCube> due = new ArrayList<>();
        for (LifecycleState state : states) {
            due.addAll(cubes(em().createQuery(LIVE + " and c.state = :state and c.expiresAt >= :floor"
                            + " and c.expiresAt <= :now order by c.expiresAt, c.id", Object[].class)
                    .setParameter("state", state.name())
                    .setParameter("floor", SCAN_FLOOR)
                    .setParameter("now", now)
                    .setMaxResults(limit)
                    .getResultList()));
        }
        due.sort(Comparator.comparing((MemCube c) -> c.governance().expiresAt()).thenComparing(MemCube::id));
        return due.size() > limit ? List.copyOf(due.subList(0, limit)) : due;
    }

    /** Below any expiry or access time the service records (the year 1). */
    private static final Instant SCAN_FLOOR = Instant.parse("0001-01-01T00:00:00Z");

    @Override
    public List<MemCube> findIdle(LifecycleState state, Instant before, int limit) {
        return cubes(em().createQuery(LIVE + " and c.state = :state and coalesce(c.idleFrom, c.lastAccessedAt, c.createdAt)"
                        + " < :before order by coalesce(c.idleFrom, c.lastAccessedAt, c.createdAt), c.id", Object[].class)
                .setParameter("state", state.name())
                .setParameter("before", before)
                .setMaxResults(limit)
                .getResultList());
    }

    @Override
    public void moveForSystem(CubeId id, LifecycleState from, LifecycleState to, Instant at) {
        int updated = SqlErrors.translate("moving cube " + id + " to " + to, () ->
                em().createQuery("update CubeEntity c set c.state = :to, c.updatedAt = :at where c.id = :id and c.state = :from")
                        .setParameter("to", to.name())
                        .setParameter("at", at)
                        .setParameter("id", id.value())
                        .setParameter("from", from.name())
                        .executeUpdate());
        if (updated != 1) {
            throw new ConflictException("cube " + id + " is no longer " + from);
        }
        if (to == LifecycleState.DELETED) {
            purge(id);
        }
    }

    @Override
    public List<CubeId> findDerivedFrom(CubeId source, int limit) {
        // derived_from is a comma-joined id list; a UUID's text does not occur inside another's
        return em().createQuery("select distinct c.id from CubeEntity c, CubeVersionEntity v where v.cubeId = c.id"
                        + " and c.state <> 'DELETED' and v.derivedFrom like :source order by c.id", UUID.class)
                .setParameter("source", "%" + source + "%")
                .setMaxResults(limit)
                .getResultList().stream().map(CubeId::new).toList();
    }

    @Override
    public List<List<CubeId>> findDuplicateGroups(Set<LifecycleState> states, int limit) {
        // One statement: every candidate row whose text occurs twice or more (in any space), grouped here by
        // space and text. A query per group would scan the unindexed text column once per group.
        List<String> names = states.stream().map(Enum::name).toList();
        List<Object[]> rows = em().createQuery("select c.spaceName, v.text, c.id from CubeEntity c, CubeVersionEntity v"
                        + " where v.cubeId = c.id and v.version = c.version and c.state in :states and v.text in ("
                        + "select v2.text from CubeEntity c2, CubeVersionEntity v2 where v2.cubeId = c2.id"
                        + " and v2.version = c2.version and c2.state in :states and v2.text is not null"
                        + " group by v2.text having count(c2) > 1) order by c.id", Object[].class)
                .setParameter("states", names)
                .getResultList();
        Map<List<Object>, List<CubeId>> groups = new LinkedHashMap<>();
        for (Object[] row : rows) {
            groups.computeIfAbsent(List.of(row[0], row[1]), k -> new ArrayList<>()).add(new CubeId((UUID) row[2]));
        }
        return groups.values().stream().filter(g -> g.size() > 1).limit(limit).map(List::copyOf).toList();
    }

    private void purge(CubeId id) {
        UUID uuid = id.value();
        List<String> blobs = em().createQuery("select distinct v.blobSha256 from CubeVersionEntity v where v.cubeId = :id"
                + " and v.blobSha256 is not null", String.class).setParameter("id", uuid).getResultList();
        // A tombstone keeps what memos needs (id, space, state, times, actors, operations), nothing about the content.
        em().createQuery("update CubeVersionEntity v set v.purged = true, v.text = null, v.kind = null, v.tags = null,"
                        + " v.blobSha256 = null, v.blobSize = null, v.blobMediaType = null, v.blobModel = null,"
                        + " v.blobAttributes = null, v.sourceRef = null, v.sessionId = null, v.derivedFrom = null,"
                        + " v.sensitivity = null, v.purpose = null, v.subject = null where v.cubeId = :id")
                .setParameter("id", uuid)
                .executeUpdate();
        SqlBlobStore.deleteUnreferenced(em(), blobs);
        em().createQuery("delete from CubeTagEntity t where t.cubeId = :id").setParameter("id", uuid).executeUpdate();
        em().createQuery("delete from CubeLabelEntity l where l.cubeId = :id").setParameter("id", uuid).executeUpdate();
        // by query, not through the entity: one the persistence context holds from before may carry the old state
        List<Object[]> header = em().createQuery("select c.spaceName, c.idempotencyKey from CubeEntity c where c.id = :id",
                Object[].class).setParameter("id", uuid).getResultList();
        for (Object[] row : header) {
            em().createQuery("update CubeEntity c set c.kind = null, c.idempotencyKey = :key where c.id = :id")
                    .setParameter("key", row[1] == null ? null : Tombstone.idempotencyKey((String) row[0], (String) row[1]))
                    .setParameter("id", uuid).executeUpdate();
        }
    }

    @Override
    public Map<CubeId, MemCube> findAll(Collection<CubeId> ids, String principalId) {
        Map<CubeId, MemCube> found = new LinkedHashMap<>();
        cubes(byIds(FIND_ALL, Object[].class, ids, principalId)).forEach(c -> found.put(c.id(), c));
        return found;
    }

    @Override
    public Map<CubeId, CubeHead> findHeads(Collection<CubeId> ids, String principalId) {
        Map<CubeId, CubeHead> found = new LinkedHashMap<>();
        byIds(FIND_HEADS, CubeEntity.class, ids, principalId).forEach(c -> found.put(new CubeId(c.id), Rows.head(c)));
        return found;
    }

    /**
     * Runs the query of {@code queries} that fits the ids (one query for up to 256, padded by repeating the last),
     * read-only: no snapshots for dirty checking at the commit.
     */
    private static <T> List<T> byIds(Map<Integer, String> queries, Class<T> type, Collection<CubeId> ids, String principalId) {
        List<UUID> all = ids.stream().map(CubeId::value).distinct().toList();
        List<T> rows = new ArrayList<>(all.size());
        int largest = ID_LIST_SIZES[ID_LIST_SIZES.length - 1];
        for (int from = 0; from < all.size(); from += largest) {
            List<UUID> chunk = all.subList(from, Math.min(all.size(), from + largest));
            int size = Arrays.stream(ID_LIST_SIZES).filter(n -> n >= chunk.size()).findFirst().orElseThrow();
            TypedQuery<T> query = em().createQuery(queries.get(size), type)
                    .setParameter("principal", principalId)
                    .setHint(HibernateHints.HINT_READ_ONLY, true);
            for (int i = 0; i < size; i++) {
                query.setParameter("id" + i, chunk.get(Math.min(i, chunk.size() - 1)));
            }
            rows.addAll(query.getResultList());
        }
        return rows;
    }

    @Override
    public Optional<MemCube> findForSystem(CubeId id) {
        return cubes(em().createQuery(LIVE + " and c.id = :id", Object[].class)
                .setParameter("id", id.value())
                .getResultList()).stream().findFirst();
    }

    @Override
    public Optional<String> idempotencyKeyForSystem(CubeId id) {
        return em().createQuery("select c.idempotencyKey from CubeEntity c where c.id = :id", String.class)
                .setParameter("id", id.value()).getResultList().stream().filter(java.util.Objects::nonNull).findFirst();
    }

    @Override
    public Page<MemCube> scanForSystem(CubeId after, int limit) {
        TypedQuery<Object[]> query = em().createQuery(LIVE + (after == null ? "" : " and c.id > :after") + " order by c.id",
                Object[].class).setMaxResults(limit + 1);
        if (after != null) {
            query.setParameter("after", after.value());
        }
        return Page.fromLookahead(cubes(query.getResultList()), limit, c -> c.id().toString());
    }

    @Override
    public void recordUsage(Map<CubeId, Long> hits, Instant at, Heat curve) {
        List<UUID> all = hits.keySet().stream().map(CubeId::value).toList();
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<Object[]> rows = em().createQuery("select c.id, c.heat, c.lastAccessedAt, c.accessCount from CubeEntity c"
                                    + " where c.id in :ids", Object[].class)
                    .setParameter("ids", all.subList(from, Math.min(all.size(), from + CHUNK)))
                    .getResultList();
            for (Object[] row : rows) {
                UUID id = (UUID) row[0];
                long n = hits.get(new CubeId(id));
                long recalls = (Long) row[3];
                double heat = curve.after((Double) row[1], (Instant) row[2], recalls, n, at);
                // A targeted update: it must not write back the version a concurrent PATCH may have moved.
                em().createQuery("update CubeEntity c set c.accessCount = c.accessCount + :n,"
                                + " c.lastAccessedAt = :at, c.heat = :heat, c.idleFrom = :idle where c.id = :id")
                        .setParameter("n", n)
                        .setParameter("at", at)
                        .setParameter("heat", heat)
                        .setParameter("idle", curve.idleFrom(at, recalls + n))
                        .setParameter("id", id)
                        .executeUpdate();
            }
        }
    }

    @Override
    public long countLive(String space) {
        return em().createQuery("select count(c) from CubeEntity c where c.spaceName = :space and c.state <> :deleted",
                        Long.class)
                .setParameter("space", space)
                .setParameter("deleted", LifecycleState.DELETED.name())
                .getSingleResult();
    }

    @Override
    public void deleteAll(String space) {
        String ofSpace = " where x.cubeId in (select c.id from CubeEntity c where c.spaceName = :space)";
        List<String> blobs = em().createQuery("select distinct x.blobSha256 from CubeVersionEntity x" + ofSpace
                + " and x.blobSha256 is not null", String.class).setParameter("space", space).getResultList();
        em().createQuery("delete from CubeTagEntity x" + ofSpace).setParameter("space", space).executeUpdate();
        em().createQuery("delete from CubeLabelEntity x" + ofSpace).setParameter("space", space).executeUpdate();
        em().createQuery("delete from CubeVersionEntity x" + ofSpace).setParameter("space", space).executeUpdate();
        em().createQuery("delete from CubeEntity c where c.spaceName = :space").setParameter("space", space).executeUpdate();
        SqlBlobStore.deleteUnreferenced(em(), blobs);
    }

    @Override
    public List<MemCube> findInTier(String space, Tier tier, String principalId, int limit) {
        TypedQuery<Object[]> query = em().createQuery(LIVE + " and c.spaceName = :space and c.tier = :tier"
                        + " and c.state in ('GENERATED', 'ACTIVATED', 'FROZEN')"
                        + (principalId == null ? "" : " and " + granted(Role.READ)) + " order by c.id desc", Object[].class)
                .setParameter("space", space)
                .setParameter("tier", tier.name())
                .setMaxResults(limit);
        if (principalId != null) {
            query.setParameter("principal", principalId);
        }
        return cubes(query.getResultList());
    }

    private static final String HOT = " c.tier = 'PLAINTEXT' and c.heat > 0 and c.state in ('GENERATED', 'ACTIVATED', 'FROZEN')";

    @Override
    public List<String> findHotSpaces(int limit) {
        return em().createQuery("select c.spaceName from CubeEntity c where" + HOT + " group by c.spaceName"
                + " order by max(c.heat) desc, c.spaceName", String.class).setMaxResults(limit).getResultList();
    }

    @Override
    public List<MemCube> findHottest(String space, int limit) {
        return cubes(em().createQuery(LIVE + " and c.spaceName = :space and" + HOT + " order by c.heat desc, c.id",
                Object[].class).setParameter("space", space).setMaxResults(limit).getResultList());
    }

    @Override
    public List<MemCube> sessionForSystem(String space, String sessionId, int limit) {
        List<MemCube> last = cubes(em().createQuery(LIVE + " and c.spaceName = :space and v.sessionId = :session"
                        + " and c.tier = 'PLAINTEXT' and c.state not in ('DELETED', 'MERGED', 'QUARANTINED')"
                        + " order by c.createdAt desc, c.id desc", Object[].class)
                .setParameter("space", space).setParameter("session", sessionId).setMaxResults(limit).getResultList());
        return last.reversed();
    }

    private void replaceTags(MemCube cube) {
        em().createQuery("delete from CubeTagEntity t where t.cubeId = :id")
                .setParameter("id", cube.id().value())
                .executeUpdate();
        tagRows(cube).forEach(em()::persist);
    }

    /** Adds the labels of a new version the cube has not carried before; earlier versions' labels stay. */
    private void addLabels(MemCube next) {
        if (next.governance().sensitivity().isEmpty()) {
            return;
        }
        Set<String> known = Set.copyOf(em().createQuery("select l.label from CubeLabelEntity l where l.cubeId = :id",
                String.class).setParameter("id", next.id().value()).getResultList());
        labelRows(next.id(), next.governance().sensitivity().stream().filter(l -> !known.contains(l)).toList())
                .forEach(em()::persist);
    }

    private static List<CubeLabelEntity> labelRows(CubeId id, Collection<String> labels) {
        return labels.stream().distinct().map(label -> {
            CubeLabelEntity row = new CubeLabelEntity();
            row.cubeId = id.value();
            row.label = label;
            return row;
        }).toList();
    }

    private static List<CubeTagEntity> tagRows(MemCube cube) {
        List<CubeTagEntity> rows = new ArrayList<>();
        for (String tag : Rows.tags(cube)) {
            CubeTagEntity row = new CubeTagEntity();
            row.cubeId = cube.id().value();
            row.tag = tag;
            rows.add(row);
        }
        return rows;
    }
}
