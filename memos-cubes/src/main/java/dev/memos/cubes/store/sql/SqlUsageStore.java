package dev.memos.cubes.store.sql;

import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.search.Heat;
import dev.memos.kernel.spi.UsageStore;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.memos.cubes.store.sql.SqlSystemCubeStore.em;

/** Usage statistics on the SQL store: targeted updates of the cube rows' usage columns, in chunks. */
@ApplicationScoped
public class SqlUsageStore implements UsageStore {
    private static final int CHUNK = 500;

    @Override
    public void recordUsage(Map<CubeId, Long> hits, Instant at, Heat curve) {
        // every flush updates rows in the same order, so two flushes (two nodes) cannot deadlock on each other
        List<UUID> all = hits.keySet().stream().map(CubeId::value).sorted().toList();
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<Object[]> rows = new ArrayList<>(em().createQuery("select c.id, c.heat, c.lastAccessedAt,"
                            + " c.accessCount from CubeEntity c where c.id in :ids", Object[].class)
                    .setParameter("ids", all.subList(from, Math.min(all.size(), from + CHUNK)))
                    .getResultList());
            rows.sort(Comparator.comparing(row -> (UUID) row[0]));
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
}
