package dev.memos.cubes.store.sql;

import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.spi.SetAside;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Cubes set aside, in table {@code set_aside} (Flyway V12), shared by the nodes of one database. Call inside
 * {@link dev.memos.kernel.spi.Transactions#inTransaction}.
 */
@ApplicationScoped
public class SqlSetAside implements SetAside {
    private static EntityManager em() {
        return Panache.getEntityManager();
    }

    @Override
    public void record(CubeId cube, String space, String reason, Instant at) {
        OffsetDateTime when = at.atOffset(ZoneOffset.UTC);
        String why = Rows.clip(reason, 512);
        int updated = em().createNativeQuery("update set_aside set reason = :r, attempts = attempts + 1, last_at = :at"
                        + " where cube_id = :c")
                .setParameter("r", why).setParameter("at", when).setParameter("c", cube.value()).executeUpdate();
        if (updated == 0) {
            em().createNativeQuery("insert into set_aside (cube_id, space_name, reason, attempts, first_at, last_at)"
                            + " values (:c, :s, :r, 1, :at, :at)")
                    .setParameter("c", cube.value()).setParameter("s", space).setParameter("r", why)
                    .setParameter("at", when).executeUpdate();
        }
    }

    @Override
    public void clear(Collection<CubeId> cubes) {
        if (!cubes.isEmpty()) {
            em().createNativeQuery("delete from set_aside where cube_id in (:c)")
                    .setParameter("c", cubes.stream().map(CubeId::value).toList()).executeUpdate();
        }
    }

    @Override
    public void clearSpace(String space) {
        em().createNativeQuery("delete from set_aside where space_name = :s").setParameter("s", space).executeUpdate();
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Entry> list(int limit) {
        List<Entry> out = new ArrayList<>();
        for (Object[] r : (List<Object[]>) em().createNativeQuery("select cube_id, space_name, reason, attempts,"
                + " first_at, last_at from set_aside order by first_at, cube_id").setMaxResults(limit).getResultList()) {
            out.add(new Entry(new CubeId(Rows.uuid(r[0])), (String) r[1], (String) r[2], ((Number) r[3]).intValue(),
                    Rows.instant(r[4]), Rows.instant(r[5])));
        }
        return out;
    }

    @Override
    public long count() {
        return ((Number) em().createNativeQuery("select count(*) from set_aside").getSingleResult()).longValue();
    }
}
