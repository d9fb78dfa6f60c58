package dev.memos.cubes.lineage;

import dev.memos.cubes.store.sql.Rows;
import dev.memos.kernel.lineage.Direction;
import dev.memos.kernel.lineage.EdgeType;
import dev.memos.kernel.lineage.LineageEdge;
import dev.memos.kernel.lineage.LineageGraph;
import dev.memos.kernel.lineage.LineageNode;
import dev.memos.kernel.lineage.VersionRef;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.spi.LineageStore;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.persistence.EntityManager;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The embedded lineage store: the graph in two tables ({@code lineage_node}, {@code lineage_edge}) of
 * the memos database, walked with a recursive query. Joins the caller's transaction.
 */
@ApplicationScoped
@Typed(SqlLineageStore.class) // the service picks the LineageStore by configuration
public class SqlLineageStore implements LineageStore {
    private static final List<String> TO_ORIGIN = types(true);
    private static final List<String> FROM_ORIGIN = types(false);

    /** One step outwards from every node reached so far; {@code union} keeps each (node, depth) once. */
    private static final String WALK = """
            with recursive walk (node_key, depth) as (
                select node_key, 0 from lineage_node where cube_id = :cube
                union
                select case when e.from_key = w.node_key and e.type in (:forwards) then e.to_key else e.from_key end,
                       w.depth + 1
                from walk w join lineage_edge e
                  on (e.from_key = w.node_key and e.type in (:forwards))
                  or (e.to_key = w.node_key and e.type in (:backwards))
                where w.depth < :depth
            )
            select node_key, min(depth) as d from walk group by node_key order by d, node_key
            """;

    private static List<String> types(boolean pointsToOrigin) {
        return Arrays.stream(EdgeType.values()).filter(t -> t.pointsToOrigin() == pointsToOrigin).map(Enum::name).toList();
    }

    @Override
    public void add(LineageGraph facts) {
        EntityManager em = Panache.getEntityManager();
        for (LineageNode node : facts.nodes()) {
            int inserted = em.createNativeQuery("""
                            insert into lineage_node (node_key, cube_id, version, space_name)
                            select :key, :cube, :version, :space where not exists
                              (select 1 from lineage_node where node_key = :key)""")
                    .setParameter("key", node.ref().key()).setParameter("cube", node.ref().cube().value())
                    .setParameter("version", node.ref().version()).setParameter("space", node.space())
                    .executeUpdate();
            if (inserted == 0 && node.space() != null) {
                em.createNativeQuery("update lineage_node set space_name = :space where node_key = :key and space_name is null")
                        .setParameter("space", node.space()).setParameter("key", node.ref().key()).executeUpdate();
            }
        }
        for (LineageEdge edge : facts.edges()) {
            em.createNativeQuery("""
                            insert into lineage_edge (from_key, type, to_key, operation, actor, occurred_at, event_id)
                            select :from, :type, :to, :operation, :actor, :at, :event where not exists
                              (select 1 from lineage_edge where from_key = :from and type = :type and to_key = :to)""")
                    .setParameter("from", edge.from().key()).setParameter("type", edge.type().name())
                    .setParameter("to", edge.to().key()).setParameter("operation", edge.operation())
                    .setParameter("actor", edge.actor()).setParameter("at", edge.at())
                    .setParameter("event", edge.eventId()).executeUpdate();
        }
    }

    @Override
    public LineageGraph walk(CubeId cube, Direction direction, int depth, int maxNodes) {
        Map<String, Integer> reached = new LinkedHashMap<>();
        if (direction.ancestors()) {
            reach(cube, TO_ORIGIN, FROM_ORIGIN, depth, maxNodes, reached);
        }
        if (direction.descendants()) {
            reach(cube, FROM_ORIGIN, TO_ORIGIN, depth, maxNodes, reached);
        }
        if (reached.isEmpty()) {
            return LineageGraph.EMPTY;
        }
        List<String> keys = reached.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).limit(maxNodes).toList();
        boolean truncated = reached.size() > maxNodes;
        return new LineageGraph(nodes(keys), edges(keys), truncated);
    }

    private static void reach(CubeId cube, List<String> forwards, List<String> backwards, int depth, int maxNodes,
                              Map<String, Integer> reached) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = Panache.getEntityManager().createNativeQuery(WALK)
                .setParameter("cube", cube.value()).setParameter("forwards", forwards)
                .setParameter("backwards", backwards).setParameter("depth", depth)
                .setMaxResults(maxNodes + 1).getResultList();
        for (Object[] row : rows) {
            reached.merge((String) row[0], ((Number) row[1]).intValue(), Math::min);
        }
    }

    private static List<LineageNode> nodes(List<String> keys) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = Panache.getEntityManager()
                .createNativeQuery("select node_key, space_name from lineage_node where node_key in (:keys)")
                .setParameter("keys", keys).getResultList();
        List<LineageNode> nodes = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            nodes.add(new LineageNode(VersionRef.parse((String) row[0]), (String) row[1]));
        }
        return nodes;
    }

    private static List<LineageEdge> edges(List<String> keys) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = Panache.getEntityManager().createNativeQuery("""
                        select from_key, type, to_key, operation, actor, occurred_at, event_id from lineage_edge
                        where from_key in (:keys) and to_key in (:keys)""")
                .setParameter("keys", keys).getResultList();
        List<LineageEdge> edges = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            edges.add(new LineageEdge(EdgeType.valueOf((String) row[1]), VersionRef.parse((String) row[0]),
                    VersionRef.parse((String) row[2]), (String) row[3], (String) row[4], Rows.instant(row[5]),
                    Rows.uuid(row[6])));
        }
        return edges;
    }

    @Override
    public void removeSpace(String space) {
        EntityManager em = Panache.getEntityManager();
        String ofSpace = "(select node_key from lineage_node where space_name = :space)";
        em.createNativeQuery("delete from lineage_edge where from_key in " + ofSpace + " or to_key in " + ofSpace)
                .setParameter("space", space).executeUpdate();
        em.createNativeQuery("delete from lineage_node where space_name = :space").setParameter("space", space)
                .executeUpdate();
    }

    @Override
    public long count(String space) {
        return ((Number) Panache.getEntityManager().createNativeQuery(
                "select count(*) from lineage_node where space_name = :space").setParameter("space", space)
                .getSingleResult()).longValue();
    }

    @Override
    public void clear() {
        EntityManager em = Panache.getEntityManager();
        em.createNativeQuery("delete from lineage_edge").executeUpdate();
        em.createNativeQuery("delete from lineage_node").executeUpdate();
    }
}
