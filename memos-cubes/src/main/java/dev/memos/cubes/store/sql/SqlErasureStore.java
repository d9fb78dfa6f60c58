package dev.memos.cubes.store.sql;

import dev.memos.kernel.erasure.Erasure;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.spi.ErasureStore;
import io.agroal.api.AgroalDataSource;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Erasure requests in tables {@code erasure}, {@code erasure_cube} and {@code erasure_check} (Flyway V6). */
@ApplicationScoped
public class SqlErasureStore implements ErasureStore {
    private static final String KEPT = "kept", ERASED = "erased";
    /** Every column of a version that says something about its content; a tombstone's are all null. */
    private static final String CONTENT = "text is not null or kind is not null or tags is not null"
            + " or blob_sha256 is not null or blob_attributes is not null or source_ref is not null"
            + " or session_id is not null or derived_from is not null or sensitivity is not null or purpose is not null"
            + " or subject is not null";
    /** The tables that hold content, rewritten by PostgreSQL's VACUUM FULL. */
    private static final String CONTENT_TABLES = "cube_version, cube, cube_tag, cube_label, outbox, blob, blob_chunk";
    private static final String COLUMNS = "id, scope, target, space_name, requested_by, requested_at, due_at,"
            + " cascade_derived, cube_count, derived_hidden, status, completed_at";

    private final AgroalDataSource dataSource;

    public SqlErasureStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    private static EntityManager em() {
        return Panache.getEntityManager();
    }

    @Override
    public void insert(Erasure e) {
        em().createNativeQuery("insert into erasure (" + COLUMNS + ") values (:id, :scope, :target, :space, :by, :at,"
                        + " :due, :cascade, :count, :hidden, :status, null)")
                .setParameter("id", e.id()).setParameter("scope", e.scope().name()).setParameter("target", e.target())
                .setParameter("space", e.space()).setParameter("by", e.requestedBy()).setParameter("at", e.requestedAt())
                .setParameter("due", e.dueAt()).setParameter("cascade", e.cascade()).setParameter("count", e.cubeCount())
                .setParameter("hidden", e.derivedHidden()).setParameter("status", e.status().name())
                .executeUpdate();
        cubes(e.id(), e.cubes(), ERASED);
        cubes(e.id(), e.derivedKept(), KEPT);
    }

    private static void cubes(UUID erasure, List<CubeId> ids, String role) {
        for (CubeId id : ids) {
            em().createNativeQuery("insert into erasure_cube (erasure_id, cube_id, role) values (:e, :c, :r)")
                    .setParameter("e", erasure).setParameter("c", id.value()).setParameter("r", role).executeUpdate();
        }
    }

    @Override
    public Optional<Erasure> find(UUID id) {
        return select("where id = :id", id, null, 1).stream().findFirst();
    }

    @Override
    public List<Erasure> pending(int limit) {
        return select("where status = 'PENDING' order by requested_at, id", null, null, limit);
    }

    @Override
    public List<Erasure> list(String space, int limit) {
        return select(space == null ? "order by requested_at desc, id" : "where space_name = :space"
                + " order by requested_at desc, id", null, space, limit);
    }

    @SuppressWarnings("unchecked")
    private List<Erasure> select(String where, UUID id, String space, int limit) {
        var query = em().createNativeQuery("select " + COLUMNS + " from erasure " + where);
        if (id != null) {
            query.setParameter("id", id);
        }
        if (space != null) {
            query.setParameter("space", space);
        }
        List<Erasure> found = new ArrayList<>();
        for (Object[] r : (List<Object[]>) query.setMaxResults(limit).getResultList()) {
            UUID erasure = Rows.uuid(r[0]);
            List<CubeId> erased = new ArrayList<>(), kept = new ArrayList<>();
            for (Object[] c : (List<Object[]>) em().createNativeQuery("select cube_id, role from erasure_cube"
                    + " where erasure_id = :e order by cube_id").setParameter("e", erasure).getResultList()) {
                (KEPT.equals(c[1]) ? kept : erased).add(new CubeId(Rows.uuid(c[0])));
            }
            List<Erasure.Check> checks = new ArrayList<>();
            for (Object[] c : (List<Object[]>) em().createNativeQuery("select place, action, outcome, passed"
                    + " from erasure_check where erasure_id = :e order by seq").setParameter("e", erasure).getResultList()) {
                checks.add(new Erasure.Check((String) c[0], (String) c[1], (String) c[2], (Boolean) c[3]));
            }
            found.add(new Erasure(erasure, Erasure.Scope.valueOf((String) r[1]), (String) r[2], (String) r[3],
                    (String) r[4], Rows.instant(r[5]), Rows.instant(r[6]), (Boolean) r[7], erased,
                    ((Number) r[8]).longValue(), kept, ((Number) r[9]).intValue(), Erasure.Status.valueOf((String) r[10]),
                    r[11] == null ? null : Rows.instant(r[11]), checks));
        }
        return found;
    }

    /**
     * H2's MVStore never writes a page in place: a changed or deleted row leaves its old page in a chunk of the
     * file, and a freed chunk's bytes stay until new chunks happen to overwrite them. So every chunk holding any
     * dead page is rewritten (its live pages copied into new, full chunks), then every chunk is moved to the front
     * of the file, over the freed space, and the file is cut after the last one.
     */
    private static String reclaimH2(MVStore store) {
        if (store.getFileStore() == null) {
            return "H2 in memory: no file to rewrite";
        }
        long started = System.nanoTime();
        long stopAt = started + RECLAIM_LIMIT.toNanos();
        long before = store.getFileStore().size();
        store.setRetentionTime(0); // as MVStore.compactFile does: freed chunks may be reused at once
        int rounds = 0;
        while (store.compact(100, 16 << 20) && System.nanoTime() < stopAt) {
            store.sync();
            rounds++;
        }
        store.sync();
        if (store.getFileStore() instanceof RandomAccessStore file) {
            file.compactMoveChunks(100, Long.MAX_VALUE, store);
        }
        store.sync();
        return "H2 file rewritten: " + rounds + " rounds of chunks with dead pages copied, every chunk moved to the"
                + " front and the file cut (" + before + " → " + store.getFileStore().size() + " bytes) in "
                + (System.nanoTime() - started) / 1_000_000 + " ms";
    }

    private static final java.time.Duration RECLAIM_LIMIT = java.time.Duration.ofSeconds(60);

    @Override
    public void complete(Erasure done) {
        em().createNativeQuery("update erasure set status = :status, completed_at = :at where id = :id")
                .setParameter("status", done.status().name()).setParameter("at", done.completedAt())
                .setParameter("id", done.id()).executeUpdate();
        em().createNativeQuery("delete from erasure_check where erasure_id = :id").setParameter("id", done.id())
                .executeUpdate();
        int seq = 0;
        for (Erasure.Check check : done.checks()) {
            em().createNativeQuery("insert into erasure_check (erasure_id, seq, place, action, outcome, passed)"
                            + " values (:id, :seq, :place, :action, :outcome, :passed)")
                    .setParameter("id", done.id()).setParameter("seq", seq++).setParameter("place", check.place())
                    .setParameter("action", Rows.clip(check.action(), 1024))
                    .setParameter("outcome", Rows.clip(check.check(), 2048))
                    .setParameter("passed", check.passed()).executeUpdate();
        }
    }

    @Override
    public List<String> residue(Erasure erasure) {
        List<String> left = new ArrayList<>();
        if (erasure.scope() == Erasure.Scope.SPACE) {
            String space = erasure.space();
            count(left, "cubes are still in the space", "select count(*) from cube where space_name = :p", space);
            count(left, "events of the space are still in the outbox", "select count(*) from outbox where"
                    + " space_name = :p and type <> 'space.deleted'", space);
            count(left, "grants on the space remain", "select count(*) from space_grant where space_name = :p", space);
            count(left, "grant clearances or purposes remain", "select (select count(*) from grant_clearance where"
                    + " space_name = :p) + (select count(*) from grant_purpose where space_name = :p)", space);
            count(left, "space rows remain", "select count(*) from space where name = :p", space);
        } else {
            List<UUID> ids = erasure.cubes().stream().map(CubeId::value).toList();
            if (!ids.isEmpty()) {
                count(left, "versions still hold content", "select count(*) from cube_version where cube_id in (:p)"
                        + " and (purged = false or " + CONTENT + ")", ids);
                count(left, "tags remain", "select count(*) from cube_tag where cube_id in (:p)", ids);
                count(left, "sensitivity labels remain", "select count(*) from cube_label where cube_id in (:p)", ids);
                count(left, "cubes are not DELETED or keep a kind or a readable idempotency key", "select count(*)"
                        + " from cube where id in (:p) and (state <> 'DELETED' or kind is not null or"
                        + " (idempotency_key is not null and idempotency_key not like 'erased:%'))", ids);
                count(left, "events still carry a reason", "select count(*) from outbox where cube_id in (:p)"
                        + " and data like '%\"reason\":%'", ids);
            }
        }
        return left;
    }

    private static void count(List<String> left, String what, String sql, Object parameter) {
        var query = em().createNativeQuery(sql);
        if (parameter != null) {
            query.setParameter("p", parameter);
        }
        long n = ((Number) query.getSingleResult()).longValue();
        if (n > 0) {
            left.add(n + " " + what);
        }
    }

    @Override
    public java.util.Set<String> heldElsewhere(java.util.Collection<String> fragments) {
        java.util.Set<String> held = new java.util.HashSet<>();
        for (String fragment : fragments) {
            String pattern = "%" + fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            // a live cube's text, or a live cube's idempotency key (keys are per space: another space may use it)
            long n = ((Number) em().createNativeQuery("select (select count(*) from cube_version where purged = false"
                    + " and text like :p escape '\\') + (select count(*) from cube where idempotency_key like :p"
                    + " escape '\\')").setParameter("p", pattern).getSingleResult()).longValue();
            if (n > 0) {
                held.add(fragment);
            }
        }
        return held;
    }

    /**
     * On PostgreSQL, turns off the planner statistics of every text and binary column of the content tables
     * ({@code SET STATISTICS 0}). ANALYZE, which autovacuum runs on its own, copies sample values of a column
     * (its most common values, histogram bounds) into the system catalog {@code pg_statistic}, where no erasure
     * reaches them: the end-to-end test found an erased session id there. Lookups go by id and index, so the
     * plans do not need them. Idempotent; run at every start (new columns are covered). Statistics gathered
     * before this ran stay until the column's next ANALYZE with statistics (docs/privacy.md). Returns what it
     * did, for the log.
     */
    public String keepContentOutOfStatistics() {
        try (Connection connection = dataSource.getConnection()) {
            if (!"PostgreSQL".equalsIgnoreCase(connection.getMetaData().getDatabaseProductName())) {
                return "not PostgreSQL: no planner statistics to keep content out of";
            }
            List<String[]> columns = new ArrayList<>();
            try (var query = connection.prepareStatement("select table_name, column_name from information_schema.columns"
                    + " where table_schema = current_schema() and table_name = any (?) and data_type in"
                    + " ('text', 'character varying', 'bytea', 'jsonb', 'ARRAY')")) {
                query.setArray(1, connection.createArrayOf("varchar", CONTENT_TABLES.split(",\\s*")));
                try (var rows = query.executeQuery()) {
                    while (rows.next()) {
                        columns.add(new String[] {rows.getString(1), rows.getString(2)});
                    }
                }
            }
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                for (String[] column : columns) {
                    statement.execute("alter table " + quoted(column[0]) + " alter column " + quoted(column[1])
                            + " set statistics 0");
                }
            }
            return "planner statistics off for " + columns.size() + " content columns";
        } catch (SQLException e) {
            throw new IllegalStateException("cannot turn off planner statistics of the content columns (memos' database"
                    + " user must own its tables): " + e.getMessage(), e);
        }
    }

    private static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public String reclaim() {
        try (Connection connection = dataSource.getConnection()) {
            String product = connection.getMetaData().getDatabaseProductName();
            if ("H2".equalsIgnoreCase(product)) {
                return reclaimH2(((SessionLocal) connection.unwrap(JdbcConnection.class).getSession()).getDatabase()
                        .getStore().getMvStore());
            }
            if ("PostgreSQL".equalsIgnoreCase(product)) {
                long started = System.nanoTime();
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("VACUUM FULL " + CONTENT_TABLES);
                }
                return "PostgreSQL tables " + CONTENT_TABLES + " rewritten (VACUUM FULL) in "
                        + (System.nanoTime() - started) / 1_000_000 + " ms";
            }
            return product + ": no way known to reclaim its files";
        } catch (SQLException e) {
            throw new IllegalStateException("reclaiming the database's free space failed: " + e.getMessage(), e);
        }
    }
}
