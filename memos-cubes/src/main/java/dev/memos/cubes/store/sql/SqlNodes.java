package dev.memos.cubes.store.sql;

import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The instances running on this database, in table {@code node} (Flyway V13). Call inside a transaction. */
@ApplicationScoped
public class SqlNodes {
    /** Another instance: its id and the bus it runs on. */
    public record Node(String instanceId, String busKind, Instant lastSeen) {
    }

    private static EntityManager em() {
        return Panache.getEntityManager();
    }

    /** The instances other than {@code self} seen since {@code since}. */
    @SuppressWarnings("unchecked")
    public List<Node> others(String self, Instant since) {
        List<Node> out = new ArrayList<>();
        for (Object[] r : (List<Object[]>) em().createNativeQuery("select instance_id, bus_kind, last_seen from node"
                        + " where instance_id <> :me and last_seen >= :since order by instance_id")
                .setParameter("me", self).setParameter("since", since.atOffset(ZoneOffset.UTC)).getResultList()) {
            out.add(new Node((String) r[0], (String) r[1], Rows.instant(r[2])));
        }
        return out;
    }

    /** Records that {@code self} runs now (on {@code busKind}). */
    public void seen(String self, String busKind, Instant now) {
        var at = now.atOffset(ZoneOffset.UTC);
        int updated = em().createNativeQuery("update node set bus_kind = :bus, last_seen = :at where instance_id = :me")
                .setParameter("bus", busKind).setParameter("at", at).setParameter("me", self).executeUpdate();
        if (updated == 0) {
            em().createNativeQuery("insert into node (instance_id, bus_kind, started_at, last_seen)"
                            + " values (:me, :bus, :at, :at)")
                    .setParameter("me", self).setParameter("bus", busKind).setParameter("at", at).executeUpdate();
        }
    }

    public void gone(String self) {
        em().createNativeQuery("delete from node where instance_id = :me").setParameter("me", self).executeUpdate();
    }
}
