package dev.memos.cubes.lineage;

import dev.memos.kernel.error.UnavailableException;
import dev.memos.kernel.lineage.Direction;
import dev.memos.kernel.lineage.EdgeType;
import dev.memos.kernel.lineage.LineageEdge;
import dev.memos.kernel.lineage.LineageGraph;
import dev.memos.kernel.lineage.LineageNode;
import dev.memos.kernel.lineage.VersionRef;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.spi.LineageStore;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.exceptions.Neo4jException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The lineage graph in Neo4j: {@code (:CubeVersion {key, cubeId, version, space})} nodes and one
 * relationship type per {@link EdgeType}, carrying operation, actor, time ({@code at}) and event id.
 * Every value travels as a query parameter; only relationship types, taken from the enum, are part of the
 * query text. Writes MERGE, so a replayed event creates nothing new.
 */
public final class Neo4jLineageStore implements LineageStore, AutoCloseable {
    /** The schema file's copy inside this jar ({@code config/neo4j/lineage-schema.cypher}). */
    public static final String SCHEMA_RESOURCE = "lineage-schema.cypher";

    private static final List<String> TO_ORIGIN = types(true);
    private static final List<String> FROM_ORIGIN = types(false);
    private static final String STEP = """
            UNWIND $keys AS k
            MATCH (a:CubeVersion {key: k})-[r]-(b:CubeVersion)
            WHERE (startNode(r) = a AND type(r) IN $forwards) OR (endNode(r) = a AND type(r) IN $backwards)
            RETURN DISTINCT b.key AS key""";

    private final Driver driver;
    private final SessionConfig session;

    /** Connects and applies the schema statements; fails with the server's message when either fails. */
    public Neo4jLineageStore(String uri, String user, String password, String database, String schema) {
        // a read while the server is away answers 503 within seconds rather than after the driver's 30 s of retries;
        // the lineage recorder retries on its own (the bus redelivers with backoff)
        this.driver = GraphDatabase.driver(uri, user == null || user.isBlank() ? AuthTokens.none()
                : AuthTokens.basic(user, password == null ? "" : password), Config.builder()
                .withMaxTransactionRetryTime(1, TimeUnit.SECONDS)
                .withConnectionTimeout(5, TimeUnit.SECONDS).build());
        this.session = SessionConfig.forDatabase(database);
        try {
            driver.verifyConnectivity();
            for (String statement : statements(schema)) {
                try (Session s = driver.session(session)) {
                    s.run(statement).consume();
                }
            }
        } catch (RuntimeException e) {
            driver.close();
            throw new UnavailableException("cannot prepare the Neo4j lineage store at " + uri + " (database "
                    + database + "): " + e.getMessage(), e);
        }
    }

    /** The schema statements of a Cypher file: split at semicolons, comment lines dropped. */
    static List<String> statements(String schema) {
        StringBuilder text = new StringBuilder();
        schema.lines().filter(l -> !l.strip().startsWith("//")).forEach(l -> text.append(l).append('\n'));
        return Arrays.stream(text.toString().split(";")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** The schema from {@code file}, or the copy in this jar when null. */
    public static String schema(Path file) {
        try {
            if (file != null) {
                return Files.readString(file, StandardCharsets.UTF_8);
            }
            try (InputStream in = Neo4jLineageStore.class.getResourceAsStream(SCHEMA_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(SCHEMA_RESOURCE + " is missing from the memos-cubes jar");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the Neo4j lineage schema " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<String> types(boolean pointsToOrigin) {
        return Arrays.stream(EdgeType.values()).filter(t -> t.pointsToOrigin() == pointsToOrigin).map(Enum::name).toList();
    }

    @Override
    public void add(LineageGraph facts) {
        if (facts.isEmpty()) {
            return;
        }
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (LineageNode node : facts.nodes()) {
            Map<String, Object> n = new HashMap<>();
            n.put("key", node.ref().key());
            n.put("cube", node.ref().cube().toString());
            n.put("version", node.ref().version());
            n.put("space", node.space());
            nodes.add(n);
        }
        Map<EdgeType, List<Map<String, Object>>> edges = new HashMap<>();
        for (LineageEdge edge : facts.edges()) {
            edges.computeIfAbsent(edge.type(), t -> new ArrayList<>()).add(Map.of("from", edge.from().key(),
                    "to", edge.to().key(), "operation", edge.operation(), "actor", edge.actor(),
                    "at", OffsetDateTime.ofInstant(edge.at(), ZoneOffset.UTC), "eventId", edge.eventId().toString()));
        }
        write(tx -> {
            tx.run("""
                    UNWIND $nodes AS n
                    MERGE (v:CubeVersion {key: n.key})
                      ON CREATE SET v.cubeId = n.cube, v.version = n.version
                    SET v.space = coalesce(v.space, n.space)""", Map.of("nodes", nodes)).consume();
            edges.forEach((type, rows) -> tx.run("""
                    UNWIND $edges AS e
                    MATCH (a:CubeVersion {key: e.from}), (b:CubeVersion {key: e.to})
                    MERGE (a)-[r:%s]->(b)
                      ON CREATE SET r.operation = e.operation, r.actor = e.actor, r.at = e.at, r.eventId = e.eventId"""
                    .formatted(type.name()), Map.of("edges", rows)).consume());
            return null;
        });
    }

    @Override
    public LineageGraph walk(CubeId cube, Direction direction, int depth, int maxNodes) {
        return read(tx -> {
            List<String> roots = tx.run("MATCH (v:CubeVersion {cubeId: $cube}) RETURN v.key AS key ORDER BY key",
                    Map.of("cube", cube.toString())).list(r -> r.get("key").asString());
            if (roots.isEmpty()) {
                return LineageGraph.EMPTY;
            }
            // breadth first, so the nodes kept under the limit are the nearest ones (as the SQL walk orders them)
            Map<String, Integer> reached = new HashMap<>();
            roots.forEach(k -> reached.put(k, 0));
            List<List<String>> ways = new ArrayList<>();
            if (direction.ancestors()) {
                ways.add(TO_ORIGIN);
                ways.add(FROM_ORIGIN);
            }
            if (direction.descendants()) {
                ways.add(FROM_ORIGIN);
                ways.add(TO_ORIGIN);
            }
            for (int w = 0; w < ways.size(); w += 2) {
                Set<String> seen = new HashSet<>(roots);
                List<String> frontier = roots;
                for (int level = 1; level <= depth && !frontier.isEmpty() && seen.size() <= maxNodes; level++) {
                    List<String> next = tx.run(STEP, Map.of("keys", frontier, "forwards", ways.get(w),
                            "backwards", ways.get(w + 1))).list(r -> r.get("key").asString()).stream()
                            .filter(seen::add).toList();
                    for (String k : next) {
                        reached.merge(k, level, Math::min);
                    }
                    frontier = next;
                }
            }
            boolean truncated = reached.size() > maxNodes;
            List<String> keys = reached.entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                    .map(Map.Entry::getKey).limit(maxNodes).toList();
            List<LineageNode> nodes = tx.run("MATCH (v:CubeVersion) WHERE v.key IN $keys RETURN v.key AS key, v.space AS space",
                    Map.of("keys", keys)).list(r -> new LineageNode(VersionRef.parse(r.get("key").asString()),
                    r.get("space").isNull() ? null : r.get("space").asString()));
            List<LineageEdge> edges = tx.run("""
                    MATCH (a:CubeVersion)-[r]->(b:CubeVersion) WHERE a.key IN $keys AND b.key IN $keys
                    RETURN a.key AS from, type(r) AS type, b.key AS to, r.operation AS operation, r.actor AS actor,
                           r.at AS at, r.eventId AS eventId""", Map.of("keys", keys)).list(Neo4jLineageStore::edge);
            return new LineageGraph(nodes, edges, truncated);
        });
    }

    private static LineageEdge edge(Record r) {
        return new LineageEdge(EdgeType.valueOf(r.get("type").asString()), VersionRef.parse(r.get("from").asString()),
                VersionRef.parse(r.get("to").asString()), r.get("operation").asString(), r.get("actor").asString(),
                r.get("at").asOffsetDateTime().toInstant(), UUID.fromString(r.get("eventId").asString()));
    }

    @Override
    public void removeSpace(String space) {
        try (Session s = driver.session(session)) {
            s.run("MATCH (v:CubeVersion {space: $space}) CALL (v) { DETACH DELETE v } IN TRANSACTIONS OF 10000 ROWS",
                    Map.of("space", space)).consume();
        } catch (Neo4jException e) {
            throw unavailable(e);
        }
    }

    @Override
    public long count(String space) {
        return read(tx -> tx.run("MATCH (v:CubeVersion {space: $space}) RETURN count(v) AS n", Map.of("space", space))
                .single().get("n").asLong());
    }

    @Override
    public void clear() {
        try (Session s = driver.session(session)) {
            s.run("MATCH (v:CubeVersion) CALL (v) { DETACH DELETE v } IN TRANSACTIONS OF 10000 ROWS").consume();
        } catch (Neo4jException e) {
            throw unavailable(e);
        }
    }

    private <T> T write(Function<org.neo4j.driver.TransactionContext, T> work) {
        try (Session s = driver.session(session)) {
            return s.executeWrite(work::apply);
        } catch (Neo4jException e) {
            throw unavailable(e);
        }
    }

    private <T> T read(Function<org.neo4j.driver.TransactionContext, T> work) {
        try (Session s = driver.session(session)) {
            return s.executeRead(work::apply);
        } catch (Neo4jException e) {
            throw unavailable(e);
        }
    }

    private static UnavailableException unavailable(Neo4jException e) {
        return new UnavailableException("the Neo4j lineage store failed: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        driver.close();
    }
}
