package dev.memos.cubes.store.sql;

import dev.memos.kernel.access.Role;
import dev.memos.kernel.error.ConflictException;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.Tombstone;
import dev.memos.kernel.query.Page;
import dev.memos.kernel.spi.SystemCubeStore;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The SQL cube store's reads and writes by memos itself (no grant applies), and what the store's queries share:
 * the grant condition, the live-version join, the entity manager. {@link SqlCubeStore} adds the principal's
 * operations.
 */
abstract class SqlSystemCubeStore implements SystemCubeStore {

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

    static final String LIVE = "select c, v from CubeEntity c, CubeVersionEntity v"
            + " where v.cubeId = c.id and v.version = c.version";

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
    public List<MemCube> sessionForSystem(String space, String sessionId, int limit) {
        List<MemCube> last = cubes(em().createQuery(LIVE + " and c.spaceName = :space and v.sessionId = :session"
                        + " and c.tier = 'PLAINTEXT' and c.state not in ('DELETED', 'MERGED', 'QUARANTINED')"
                        + " order by c.createdAt desc, c.id desc", Object[].class)
                .setParameter("space", space).setParameter("session", sessionId).setMaxResults(limit).getResultList());
        return last.reversed();
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

    void purge(CubeId id) {
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

    void persistNew(MemCube cube, String idempotencyKey) {
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

    static EntityManager em() {
        return Panache.getEntityManager();
    }

    static List<MemCube> cubes(List<Object[]> rows) {
        return rows.stream().map(r -> Rows.cube((CubeEntity) r[0], (CubeVersionEntity) r[1])).toList();
    }

    static String roleList(Role minimum) {
        return Role.atLeast(minimum).stream().map(r -> "'" + r.name() + "'").collect(Collectors.joining(", ", "(", ")"));
    }

    static List<CubeLabelEntity> labelRows(CubeId id, Collection<String> labels) {
        return labels.stream().distinct().map(label -> {
            CubeLabelEntity row = new CubeLabelEntity();
            row.cubeId = id.value();
            row.label = label;
            return row;
        }).toList();
    }

    static List<CubeTagEntity> tagRows(MemCube cube) {
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
