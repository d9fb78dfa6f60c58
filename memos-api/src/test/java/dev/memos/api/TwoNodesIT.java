package dev.memos.api;

import dev.memos.testkit.Scratch;
import java.time.Duration;
import org.awaitility.Awaitility;
import dev.memos.testkit.ServiceProcess;
import dev.memos.testkit.gguf.RandomModels;
import dev.memos.testkit.servers.KafkaBroker;
import dev.memos.testkit.servers.Neo4jServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Session;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.memos.api.Services.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two memos nodes as processes on one PostgreSQL database, one Kafka broker and (second test) one Neo4j server, all
 * real. First: a write on node A is found by a read-your-writes search on node B; both nodes' relays publish the
 * shared outbox, taking turns, so events written on both at once reach the topic once each; a key replaced on node A
 * stops working on node B within a second although B had it in its key cache (the change reaches B through the bus,
 * not a timer); an activation cube compiled on A is restored on B (tier blobs live in the database); a third node on the in-process bus refuses to start on that database. Second: ingestion splits the
 * topic between the nodes and survives one stopping (every record a cube once), the scheduler runs on exactly one
 * node and hands over when it stops, and lineage written from both nodes is in the graph once.
 */
class TwoNodesIT {
    private static final String ADMIN = "two-nodes-admin-key-0123456789abcdef";

    @Test
    void a_write_on_one_node_is_found_on_the_other_and_a_replaced_key_dies_on_both() throws Exception {
        String database = TestDatabases.create("memos_two_nodes_");
        String topic = "it-two-nodes-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> jvm = List.of("-Dmemos.bus.kind=kafka",
                "-Dmemos.kafka.bootstrap-servers=" + KafkaBroker.shared().bootstrapServers(),
                "-Dmemos.bus.topic=" + topic, "-Dmemos.api.key-cache=10m", "-Xmx1g");
        Map<String, String> environment = new HashMap<>(TestDatabases.environment(database, ADMIN));
        Path model = RandomModels.model(Scratch.directory("memos-two-nodes-model").resolve("tiny.gguf"),
                RandomModels.Shape.TINY);
        environment.putAll(Map.of("MEMOS_ENGINE_MODEL", model.toString(), "MEMOS_ENGINE_CONTEXT_SIZE", "1024"));
        try (ServiceProcess a = node("a", environment); ServiceProcess b = node("b", environment)) {
            a.start(jvm);
            b.start(jvm);
            try (ServiceProcess c = node("c", environment)) {
                IllegalStateException refused = assertThrows(IllegalStateException.class,
                        () -> c.start(List.of("-Dmemos.bus.kind=embedded", "-Xmx1g")));
                assertTrue(refused.getMessage().contains("other instances use this database")
                        && refused.getMessage().contains("need memos.bus.kind=kafka"), refused.getMessage());
            }

            as(a, ADMIN).body(Map.of("name", "shared")).post("/v1/spaces").then().statusCode(201);
            as(a, ADMIN).body(Map.of("text", "Dana keeps bees on the roof")).post("/v1/spaces/shared/cubes")
                    .then().statusCode(201);
            as(b, ADMIN).body(Map.of("query", "bees roof", "mode", "keyword", "consistency", "read-your-writes",
                    "waitMs", 30_000)).post("/v1/spaces/shared/search").then().statusCode(200).body("hits", hasSize(1));

            writeOnBoth(a, b, 60);
            long published = TestDatabases.awaitPublished(database);
            long onTopic = recordsOnTopic(KafkaBroker.shared().bootstrapServers(), topic);
            System.out.printf("%d outbox events, %d records on the topic%n", published, onTopic);
            assertEquals(published, onTopic, "the two nodes' relays published some events twice");

            // an activation cube compiled on A: its KV state (a blob in the database) is restored on B
            as(a, ADMIN).body(Map.of("name", "kept")).post("/v1/spaces").then().statusCode(201);
            String kim = as(a, ADMIN).body(Map.of("text", "Kim speaks Korean and Portuguese and flies planes"))
                    .post("/v1/spaces/kept/cubes").then().statusCode(201).extract().path("id");
            as(a, ADMIN).body(Map.of("cubes", List.of(kim))).post("/v1/spaces/kept/activation").then().statusCode(201);
            as(b, ADMIN).body(Map.of("messages", List.of(Map.of("role", "user", "content", "What does Kim do?")),
                            "k", 0, "maxTokens", 8, "useActivation", true, "mode", "keyword"))
                    .post("/v1/spaces/kept/chat").then().statusCode(200)
                    .body("activationSkipped", nullValue()).body("timings.tokensRestored", greaterThan(10));

            String[] agent = new String[2];
            var issued = as(a, ADMIN).body(Map.of("name", "agent", "kind", "agent")).post("/v1/principals")
                    .then().statusCode(201).extract().jsonPath();
            agent[0] = issued.getString("id");
            agent[1] = issued.getString("apiKey");
            as(b, agent[1]).get("/v1/principals/me").then().statusCode(200).body("id", equalTo(agent[0]));

            as(a, agent[1]).post("/v1/principals/me/key").then().statusCode(200);
            long replaced = System.nanoTime();
            Awaitility.await("node B refuses the replaced key").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> as(b, agent[1]).get("/v1/principals/me").then().extract().statusCode(), status -> status == 401);
            double seconds = (System.nanoTime() - replaced) / 1e9;
            System.out.printf("a key replaced on node A was refused on node B after %.2f s%n", seconds);
            assertTrue(seconds < 1.0, "node B accepted the old key for " + seconds + " s");
        } finally {
            TestDatabases.drop(database);
        }
    }

    @Test
    void ingestion_splits_the_scheduler_hands_over_and_lineage_is_recorded_once() throws Exception {
        String database = TestDatabases.create("memos_two_nodes_");
        String run = UUID.randomUUID().toString().substring(0, 8);
        String ingest = "it-two-nodes-ingest-" + run;
        KafkaBroker broker = KafkaBroker.shared();
        String bolt = Neo4jServer.sharedBoltUri();
        List<String> jvm = List.of("-Dmemos.bus.kind=kafka", "-Dmemos.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "-Dmemos.bus.topic=it-two-nodes-events-" + run, "-Dmemos.ingest.enabled=true",
                "-Dmemos.ingest.topic=" + ingest, "-Dmemos.ingest.dead-letter-topic=" + ingest + ".dlq",
                "-Dmemos.ingest.group=it-two-nodes-" + run, "-Dmemos.ingest.partitions=6",
                "-Dmemos.scheduler.group=it-two-nodes-scheduler-" + run, "-Dmemos.scheduler.lease-topic=it-two-nodes-lease-" + run,
                "-Dmemos.scheduler.interval=1s", "-Dmemos.lineage.kind=neo4j", "-Dmemos.lineage.neo4j.uri=" + bolt,
                "-Xmx768m");
        Map<String, String> environment = TestDatabases.environment(database, ADMIN);
        try (ServiceProcess a = node("a", environment); ServiceProcess b = node("b", environment);
             KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                     new StringSerializer(), new StringSerializer())) {
            a.start(jvm);
            b.start(jvm);
            as(a, ADMIN).body(Map.of("name", "chat")).post("/v1/spaces").then().statusCode(201);
            IngestGroupIT.awaitSplit(a, b);
            IngestGroupIT.produce(producer, ingest, ADMIN, 0, 400);
            IngestGroupIT.awaitTotal(a, b, 400);
            long byA = Services.metric(a, "memos_ingest_records_processed_total");
            long byB = Services.metric(b, "memos_ingest_records_processed_total");
            System.out.printf("split on one database: %d records on node A, %d on node B%n", byA, byB);
            assertTrue(byA > 0 && byB > 0, "both nodes ingested: " + byA + " / " + byB);

            String space = "lineage-" + run;
            as(a, ADMIN).body(Map.of("name", space)).post("/v1/spaces").then().statusCode(201);
            String source = as(a, ADMIN).body(Map.of("text", "Dana keeps bees on the roof"))
                    .post("/v1/spaces/" + space + "/cubes").then().statusCode(201).extract().path("id");
            String derived = as(b, ADMIN).body(Map.of("text", "Summary: bees on the roof", "derivedFrom", List.of(source)))
                    .post("/v1/spaces/" + space + "/cubes").then().statusCode(201).extract().path("id");
            as(b, ADMIN).header("If-Match", "\"1\"").body(Map.of("text", "Dana keeps two hives on the roof"))
                    .patch("/v1/cubes/" + source).then().statusCode(200);
            assertRecordedOnce(bolt, space, 3, 1);

            ServiceProcess leader = IngestGroupIT.awaitOneLeader(a, b);
            ServiceProcess follower = leader == a ? b : a;
            // the leader leaves mid-stream: the other node takes its partitions and its lease
            IngestGroupIT.produce(producer, ingest, ADMIN, 400, 500);
            long stopped = System.nanoTime();
            leader.stop();
            IngestGroupIT.produce(producer, ingest, ADMIN, 500, 600);
            Services.awaitMetric(follower, "memos_scheduler_leader", 1, false);
            System.out.printf("the scheduler lease moved to the other node %d ms after the leader stopped%n",
                    (System.nanoTime() - stopped) / 1_000_000);
            String expired = IngestGroupIT.expiredCube(follower, ADMIN);
            IngestGroupIT.awaitState(follower, ADMIN, expired, "DELETED");
            Services.awaitMetric(follower, "memos_ingest_assigned_partitions", 6, false);
            Services.awaitMetric(follower, "memos_ingest_consumer_lag", 0, true);
            Set<String> texts = Services.allTexts(follower, ADMIN, "chat"); // asserts no text twice
            assertEquals(600, texts.size(), "every record became a cube once");
        } finally {
            TestDatabases.drop(database);
        }
    }

    /** The space's lineage in Neo4j: {@code versions} version nodes and {@code derivations} DERIVED_FROM edges. */
    private static void assertRecordedOnce(String bolt, String space, int versions, int derivations) throws Exception {
        try (Driver driver = GraphDatabase.driver(bolt, AuthTokens.none()); Session session = driver.session()) {
            java.util.concurrent.Callable<long[]> counts = () -> {
                var row = session.run("MATCH (v:CubeVersion {space: $space}) OPTIONAL MATCH (v)-[d:DERIVED_FROM]->()"
                        + " RETURN count(DISTINCT v) AS nodes, count(d) AS edges", Map.of("space", space)).single();
                return new long[]{row.get("nodes").asLong(), row.get("edges").asLong()};
            };
            // the session is not thread-safe: polled on this thread
            long[] recorded = Awaitility.await("the space's lineage in Neo4j").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100)).pollInSameThread().ignoreExceptions()
                    .until(counts, c -> c[0] >= versions && c[1] >= derivations);
            // and no more: written once, though both nodes saw the events
            Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).pollInSameThread()
                    .until(counts, c -> c[0] == recorded[0] && c[1] == recorded[1]);
            assertEquals(versions, recorded[0], "version nodes of the space written from both nodes");
            assertEquals(derivations, recorded[1], "DERIVED_FROM edges of the space written from both nodes");
        }
    }

    private static ServiceProcess node(String name, Map<String, String> environment) throws Exception {
        return new ServiceProcess(TestDatabases.serviceJar(), Scratch.directory("memos-node-" + name), environment);
    }

    /** Each node writes {@code perNode} cubes, both at the same time, so both relays find the other's events pending. */
    private static void writeOnBoth(ServiceProcess a, ServiceProcess b, int perNode) throws Exception {
        try (ExecutorService writers = Executors.newFixedThreadPool(2)) {
            List<Future<?>> done = new ArrayList<>();
            for (ServiceProcess node : List.of(a, b)) {
                done.add(writers.submit(() -> {
                    for (int i = 0; i < perNode; i++) {
                        as(node, ADMIN).body(Map.of("text", node.baseUri() + " wrote note " + i))
                                .post("/v1/spaces/shared/cubes").then().statusCode(201);
                    }
                }));
            }
            for (Future<?> writer : done) {
                writer.get();
            }
        }
    }

    static long recordsOnTopic(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get().values().stream()
                    .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
        }
    }
}
