package dev.memos.api;

import dev.memos.testkit.Scratch;
import java.time.Duration;
import org.awaitility.Awaitility;
import dev.memos.testkit.ServiceProcess;
import dev.memos.testkit.servers.KafkaBroker;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two packaged services on a real broker: in one ingest consumer group they split the topic's partitions,
 * and when one stops mid-stream the other takes its partitions over where it left off; on the Kafka bus
 * exactly one of them runs the lifecycle policies, and the other takes over when it stops.
 * Each service has its own embedded database here, so "nothing twice" is visible directly: every
 * record's cube is in exactly one of the two.
 */
class IngestGroupIT {
    private static final String ADMIN = "group-it-admin-key-0123456789abcdef";
    private static final int PARTITIONS = 6;
    private static final int FIRST = 1_200;
    private static final int SECOND = 800;

    /** A packaged service on a fresh data directory, with the test's administrator key. */
    private static ServiceProcess service(String dirPrefix) throws java.io.IOException {
        return new ServiceProcess(ServiceProcess.packagedJar(), Scratch.directory(dirPrefix), Map.of("MEMOS_ADMIN_KEY", ADMIN));
    }

    @Test
    void two_services_split_the_ingest_topic_and_hand_over_without_loss_or_duplicates() throws Exception {
        KafkaBroker broker = KafkaBroker.shared();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String topic = "it-group-ingest-" + run;
        List<String> jvm = List.of("-Dmemos.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "-Dmemos.ingest.enabled=true", "-Dmemos.ingest.topic=" + topic,
                "-Dmemos.ingest.dead-letter-topic=" + topic + ".dlq", "-Dmemos.ingest.group=it-group-" + run,
                "-Dmemos.ingest.partitions=" + PARTITIONS, "-Xmx768m");
        try (ServiceProcess a = service("memos-group-a"); ServiceProcess b = service("memos-group-b")) {
            a.start(jvm);
            b.start(jvm);
            for (ServiceProcess s : List.of(a, b)) {
                Services.as(s, ADMIN).body(Map.of("name", "chat")).post("/v1/spaces").then().statusCode(201);
            }
            awaitSplit(a, b);

            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                    new StringSerializer(), new StringSerializer())) {
                produce(producer, topic, 0, FIRST);
                awaitTotal(a, b, FIRST);
                long byA = Services.metric(a, "memos_ingest_records_processed_total");
                long byB = Services.metric(b, "memos_ingest_records_processed_total");
                System.out.printf("split: %d records on one service, %d on the other%n", byA, byB);
                assertTrue(byA > 0 && byB > 0, "both members did work: " + byA + " / " + byB);

                // b leaves the group mid-stream; a takes its partitions over from b's committed offsets
                produce(producer, topic, FIRST, FIRST + SECOND / 2);
                b.stop();
                produce(producer, topic, FIRST + SECOND / 2, FIRST + SECOND);
            }
            Services.awaitMetric(a, "memos_ingest_assigned_partitions", PARTITIONS, false);
            Services.awaitMetric(a, "memos_ingest_consumer_lag", 0, true);
            b.start(jvm); // to read what it wrote; it rejoins the group, which has nothing left to give it
            Set<String> onA = Services.allTexts(a, ADMIN, "chat");
            Set<String> onB = Services.allTexts(b, ADMIN, "chat");
            Set<String> both = new HashSet<>(onA);
            both.retainAll(onB);
            assertTrue(both.isEmpty(), both.size() + " records were written by both services, e.g. " + both.stream().findFirst());
            assertEquals(FIRST + SECOND, onA.size() + onB.size(), "every record landed once: " + onA.size() + " + " + onB.size());
            for (int i = 0; i < FIRST + SECOND; i++) {
                String text = "Ann: Remember item " + i + " of the inventory list";
                assertTrue(onA.contains(text) || onB.contains(text), "record " + i);
            }
        }
    }

    @Test
    void on_the_kafka_bus_one_service_runs_the_lifecycle_policies_and_another_takes_over() throws Exception {
        KafkaBroker broker = KafkaBroker.shared();
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> jvm = List.of("-Dmemos.kafka.bootstrap-servers=" + broker.bootstrapServers(), "-Dmemos.bus.kind=kafka",
                "-Dmemos.bus.topic=it-lease-events-" + run, "-Dmemos.scheduler.group=it-scheduler-" + run,
                "-Dmemos.scheduler.lease-topic=it-lease-" + run, "-Dmemos.scheduler.interval=1s", "-Xmx768m");
        try (ServiceProcess a = service("memos-lease-a"); ServiceProcess b = service("memos-lease-b")) {
            a.start(jvm);
            b.start(jvm);
            ServiceProcess leader = awaitOneLeader(a, b);
            ServiceProcess follower = leader == a ? b : a;
            // each service has its own database here, so the TTL policy shows who runs the policies
            String onLeader = expiredCube(leader);
            String onFollower = expiredCube(follower);
            awaitState(leader, onLeader, "DELETED");
            Awaitility.await("the follower's cube stays GENERATED").during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                    .until(() -> Services.as(follower, ADMIN).get("/v1/cubes/" + onFollower).then().statusCode(200)
                            .extract().path("state"), "GENERATED"::equals);

            long t0 = System.nanoTime();
            leader.stop();
            Services.awaitMetric(follower, "memos_scheduler_leader", 1, false);
            System.out.printf("the lease moved to the other service %d ms after the leader stopped%n",
                    (System.nanoTime() - t0) / 1_000_000);
            awaitState(follower, onFollower, "DELETED");
        }
    }

    static ServiceProcess awaitOneLeader(ServiceProcess a, ServiceProcess b) throws InterruptedException {
        java.util.concurrent.Callable<Long> leaders = () -> {
            Long onA = Services.metric(a, "memos_scheduler_leader");
            Long onB = Services.metric(b, "memos_scheduler_leader");
            return onA == null || onB == null ? null : onA + onB;
        };
        // exactly one, and still exactly one after the group settled
        Awaitility.await("exactly one service holds the scheduler lease").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).until(leaders, n -> n != null && n == 1);
        Awaitility.await("the lease stays with one service").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(200)).until(leaders, n -> n != null && n == 1);
        return Services.metric(a, "memos_scheduler_leader") == 1 ? a : b;
    }

    static String expiredCube(ServiceProcess service) {
        return expiredCube(service, ADMIN);
    }

    static String expiredCube(ServiceProcess service, String admin) {
        String space = "ttl-" + UUID.randomUUID().toString().substring(0, 6);
        Services.as(service, admin).body(Map.of("name", space)).post("/v1/spaces").then().statusCode(201);
        return Services.as(service, admin).body(Map.of("text", "the door code is 4711",
                        "expiresAt", java.time.Instant.now().minusSeconds(60).toString()))
                .post("/v1/spaces/" + space + "/cubes").then().statusCode(201).extract().path("id");
    }

    static void awaitState(ServiceProcess service, String cube, String state) throws InterruptedException {
        awaitState(service, ADMIN, cube, state);
    }

    static void awaitState(ServiceProcess service, String admin, String cube, String state) throws InterruptedException {
        Awaitility.await("cube " + cube + " becomes " + state).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> Services.as(service, admin).get("/v1/cubes/" + cube).then().statusCode(200)
                        .extract().path("state"), state::equals);
    }

    private static void produce(KafkaProducer<String, String> producer, String topic, int from, int to) {
        produce(producer, topic, ADMIN, from, to);
    }

    /** Turns {@code from} to {@code to} ("Remember item i of the inventory list") for space chat, sent with {@code apiKey}. */
    static void produce(KafkaProducer<String, String> producer, String topic, String apiKey, int from, int to) {
        for (int i = from; i < to; i++) {
            String turn = "{\"type\":\"turn\",\"space\":\"chat\",\"apiKey\":\"" + apiKey + "\",\"idempotencyKey\":\"turn-" + i
                    + "\",\"speaker\":\"Ann\",\"text\":\"Remember item " + i + " of the inventory list\"}";
            producer.send(new ProducerRecord<>(topic, "conversation-" + (i % 24), turn));
        }
        producer.flush();
    }

    /** Waits until both services own partitions of the topic and together own all of them. */
    static void awaitSplit(ServiceProcess a, ServiceProcess b) throws InterruptedException {
        Awaitility.await("the two services split the " + PARTITIONS + " partitions").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    Long onA = Services.metric(a, "memos_ingest_assigned_partitions");
                    Long onB = Services.metric(b, "memos_ingest_assigned_partitions");
                    return onA != null && onB != null && onA > 0 && onB > 0 && onA + onB == PARTITIONS;
                });
    }

    static void awaitTotal(ServiceProcess a, ServiceProcess b, long total) throws InterruptedException {
        Awaitility.await("the two services process " + total + " records").atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> Services.metric(a, "memos_ingest_records_processed_total")
                        + Services.metric(b, "memos_ingest_records_processed_total"), sum -> sum >= total);
    }
}
