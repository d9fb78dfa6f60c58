package dev.memos.cubes.store.sql;

import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.spi.SetAside;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The cubes one node set aside, in table {@code index_set_aside} (Flyway V15), which the nodes of one database share,
 * each with rows of its own (its instance id): each node keeps its own search index. Nodes sharing one index (a
 * search cluster) share one node name for it instead. Rows from before V15 (instance id {@code ''}) count as every
 * node's. Call inside {@link dev.memos.kernel.spi.Transactions#inTransaction}.
 */
public class SqlSetAside implements SetAside {
    /** The instance id of rows recorded before the table told nodes apart. */
    private static final String NO_NODE = "";
    /** This node's rows and those of no node. */
    private static final String MINE = "instance_id in (:node, '" + NO_NODE + "')";

    private final String node;

    public SqlSetAside(String node) {
        if (node == null || node.isBlank() || node.length() > 64) {
            throw new IllegalArgumentException("a node's instance id is 1 to 64 characters: " + node);
        }
        this.node = node;
    }

    private static EntityManager em() {
        return Panache.getEntityManager();
    }

    private Query mine(String sql) {
        return em().createNativeQuery(sql).setParameter("node", node);
    }

    @Override
    public void record(CubeId cube, String space, String reason, Instant at) {
        OffsetDateTime when = at.atOffset(ZoneOffset.UTC);
        String why = Rows.clip(reason, 512);
        int updated = mine("update index_set_aside set reason = :r, attempts = attempts + 1, last_at = :at"
                        + " where instance_id = :node and cube_id = :c")
                .setParameter("r", why).setParameter("at", when).setParameter("c", cube.value()).executeUpdate();
        if (updated == 0) {
            mine("insert into index_set_aside (instance_id, cube_id, space_name, reason, attempts, first_at, last_at)"
                            + " values (:node, :c, :s, :r, 1, :at, :at)")
                    .setParameter("c", cube.value()).setParameter("s", space).setParameter("r", why)
                    .setParameter("at", when).executeUpdate();
        }
    }

    @Override
    public void clear(Collection<CubeId> cubes) {
        if (!cubes.isEmpty()) {
            mine("delete from index_set_aside where " + MINE + " and cube_id in (:c)")
                    .setParameter("c", cubes.stream().map(CubeId::value).toList()).executeUpdate();
        }
    }

    @Override
    public void clearSpace(String space) {
        mine("delete from index_set_aside where " + MINE + " and space_name = :s").setParameter("s", space)
                .executeUpdate();
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Entry> list(int limit) {
        List<Entry> out = new ArrayList<>();
        for (Object[] r : (List<Object[]>) mine("select cube_id, space_name, reason, attempts, first_at, last_at"
                + " from index_set_aside where " + MINE + " order by first_at, cube_id").setMaxResults(limit)
                .getResultList()) {
            out.add(new Entry(new CubeId(Rows.uuid(r[0])), (String) r[1], (String) r[2], ((Number) r[3]).intValue(),
                    Rows.instant(r[4]), Rows.instant(r[5])));
        }
        return out;
    }

    @Override
    public long count() {
        return ((Number) mine("select count(*) from index_set_aside where " + MINE).getSingleResult()).longValue();
    }
}
