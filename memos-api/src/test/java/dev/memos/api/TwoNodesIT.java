package dev.memos.api;

import dev.memos.testkit.ServiceProcess;
import dev.memos.testkit.servers.KafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.memos.api.Services.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two memos nodes as processes on one PostgreSQL database and one Kafka broker (all real): a write on node A is
 * found by a read-your-writes search on node B, and a key replaced on node A stops working on node B within a
 * second although B had it in its key cache (the change reaches B through the bus, not a timer); a third node on the
 * in-process bus refuses to start on that database. Both nodes' relays publish the shared outbox, taking turns: events
 * written on both at once reach the topic once each.
 */
class TwoNodesIT {
    private static final String URL = env("MEMOS_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/memos_test");
    private static final String USER = env("MEMOS_TEST_PG_USER", "memos");
    private static final String PASSWORD = env("MEMOS_TEST_PG_PASSWORD", "memos");
    private static final String ADMIN = "two-nodes-admin-key-0123456789abcdef";

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
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

    /** Waits until the relays published every outbox event; returns how many events the outbox holds. */
    private static long awaitPublished(String database) throws Exception {
        String url = URL.substring(0, URL.lastIndexOf('/') + 1) + database;
        try (Connection connection = DriverManager.getConnection(url, USER, PASSWORD);
             Statement statement = connection.createStatement()) {
            for (int i = 0; i < 300; i++) {
                try (ResultSet counts = statement.executeQuery(
                        "select count(*), count(*) filter (where published_at is null) from outbox")) {
                    counts.next();
                    if (counts.getLong(2) == 0) {
                        return counts.getLong(1);
                    }
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the relays did not publish every event within 30 s");
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

    @Test
    void a_write_on_one_node_is_found_on_the_other_and_a_replaced_key_dies_on_both() throws Exception {
        String database = "memos_two_nodes_" + Long.toHexString(System.nanoTime());
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        String topic = "it-two-nodes-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> jvm = List.of("-Dmemos.bus.kind=kafka",
                "-Dmemos.kafka.bootstrap-servers=" + KafkaBroker.shared().bootstrapServers(),
                "-Dmemos.bus.topic=" + topic, "-Dmemos.api.key-cache=10m", "-Xmx1g");
        Map<String, String> environment = Map.of("MEMOS_ADMIN_KEY", ADMIN,
                "QUARKUS_DATASOURCE_JDBC_URL", URL.substring(0, URL.lastIndexOf('/') + 1) + database,
                "QUARKUS_DATASOURCE_USERNAME", USER, "QUARKUS_DATASOURCE_PASSWORD", PASSWORD);
        Path jar = Path.of(System.getProperty("memos.app.dir.postgresql", "../memos-api/target/postgresql"))
                .resolve("quarkus-run.jar").toAbsolutePath().normalize();
        try (ServiceProcess a = new ServiceProcess(jar, Files.createTempDirectory("memos-node-a"), environment);
             ServiceProcess b = new ServiceProcess(jar, Files.createTempDirectory("memos-node-b"), environment)) {
            a.start(jvm);
            b.start(jvm);
            try (ServiceProcess c = new ServiceProcess(jar, Files.createTempDirectory("memos-node-c"), environment)) {
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
            long published = awaitPublished(database);
            long onTopic = recordsOnTopic(KafkaBroker.shared().bootstrapServers(), topic);
            System.out.printf("%d outbox events, %d records on the topic%n", published, onTopic);
            assertEquals(published, onTopic, "the two nodes' relays published some events twice");

            String[] agent = new String[2];
            var issued = as(a, ADMIN).body(Map.of("name", "agent", "kind", "agent")).post("/v1/principals")
                    .then().statusCode(201).extract().jsonPath();
            agent[0] = issued.getString("id");
            agent[1] = issued.getString("apiKey");
            as(b, agent[1]).get("/v1/principals/me").then().statusCode(200).body("id", equalTo(agent[0]));

            as(a, agent[1]).post("/v1/principals/me/key").then().statusCode(200);
            long replaced = System.nanoTime();
            int status = 200;
            while (status == 200 && System.nanoTime() - replaced < 10_000_000_000L) {
                status = as(b, agent[1]).get("/v1/principals/me").then().extract().statusCode();
                Thread.sleep(20);
            }
            double seconds = (System.nanoTime() - replaced) / 1e9;
            System.out.printf("a key replaced on node A was refused on node B after %.2f s%n", seconds);
            assertTrue(status == 401 && seconds < 1.0, "node B accepted the old key for " + seconds + " s");
        } finally {
            try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
                 Statement statement = connection.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }
}
