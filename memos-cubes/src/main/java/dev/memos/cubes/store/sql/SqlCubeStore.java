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
import dev.memos.kernel.spi.CubeStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.TypedQuery;
import org.hibernate.Session;
import org.hibernate.jpa.HibernateHints;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
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
public class SqlCubeStore extends SqlSystemCubeStore implements CubeStore {
    /** Whether the database is PostgreSQL; found on first use ({@link #queueForKey}). */
    private volatile Boolean postgres;

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

}
