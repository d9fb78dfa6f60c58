package dev.memos.cubes.store.sql;

import dev.memos.kernel.audit.AuditEntry;
import dev.memos.kernel.spi.AuditLog;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The audit trail in tables {@code audit_entry} and {@code audit_head} (Flyway V7), in the caller's transaction. */
@ApplicationScoped
public class SqlAuditLog implements AuditLog {
    private static final String COLUMNS = "seq, at, actor, action, space_name, target, detail, prev_hash, hash";

    private static EntityManager em() {
        return Panache.getEntityManager();
    }

    @Override
    public void append(Instant at, String actor, String action, String space, String target, String detail) {
        // the row lock on the head serialises appends until this transaction ends
        Object[] head = (Object[]) em().createNativeQuery("select last_seq, last_hash from audit_head where id = 1"
                + " for update").getSingleResult();
        long seq = ((Number) head[0]).longValue() + 1;
        AuditEntry entry = AuditEntry.next(seq, at, actor, action, space, Rows.clip(target, 128),
                Rows.clip(detail, 1024),
                (String) head[1]);
        em().createNativeQuery("insert into audit_entry (" + COLUMNS + ") values (:seq, :at, :actor, :action, :space,"
                        + " :target, :detail, :prev, :hash)")
                .setParameter("seq", entry.seq()).setParameter("at", entry.at()).setParameter("actor", entry.actor())
                .setParameter("action", entry.action()).setParameter("space", entry.space())
                .setParameter("target", entry.target()).setParameter("detail", entry.detail())
                .setParameter("prev", entry.prevHash()).setParameter("hash", entry.hash()).executeUpdate();
        em().createNativeQuery("update audit_head set last_seq = :seq, last_hash = :hash where id = 1")
                .setParameter("seq", seq).setParameter("hash", entry.hash()).executeUpdate();
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<AuditEntry> entries(String space, long afterSeq, int limit) {
        var query = em().createNativeQuery("select " + COLUMNS + " from audit_entry where seq > :after"
                + (space == null ? "" : " and space_name = :space") + " order by seq").setParameter("after", afterSeq);
        if (space != null) {
            query.setParameter("space", space);
        }
        List<AuditEntry> entries = new ArrayList<>();
        for (Object[] r : (List<Object[]>) query.setMaxResults(limit).getResultList()) {
            entries.add(new AuditEntry(((Number) r[0]).longValue(), Rows.instant(r[1]), (String) r[2], (String) r[3],
                    (String) r[4], (String) r[5], (String) r[6], (String) r[7], (String) r[8]));
        }
        return entries;
    }

    @Override
    public Head head() {
        Object[] r = (Object[]) em().createNativeQuery("select first_seq, anchor, last_seq, last_hash from audit_head"
                + " where id = 1").getSingleResult();
        return new Head(((Number) r[0]).longValue(), (String) r[1], ((Number) r[2]).longValue(), (String) r[3]);
    }

    @Override
    @SuppressWarnings("unchecked")
    public int prune(Instant before) {
        em().createNativeQuery("select last_seq from audit_head where id = 1 for update").getSingleResult();
        List<Object[]> last = em().createNativeQuery("select seq, hash from audit_entry where at < :before"
                + " order by seq desc").setParameter("before", before).setMaxResults(1).getResultList();
        if (last.isEmpty()) {
            return 0;
        }
        long lastPruned = ((Number) last.getFirst()[0]).longValue();
        int removed = em().createNativeQuery("delete from audit_entry where seq <= :seq").setParameter("seq", lastPruned)
                .executeUpdate();
        em().createNativeQuery("update audit_head set first_seq = :first, anchor = :anchor where id = 1")
                .setParameter("first", lastPruned + 1).setParameter("anchor", last.getFirst()[1]).executeUpdate();
        return removed;
    }
}
