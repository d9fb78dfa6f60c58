package dev.memos.api;

import dev.memos.testkit.Scratch;
import org.awaitility.Awaitility;
import dev.memos.testkit.ServiceProcess;
import dev.memos.testkit.servers.KafkaBroker;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged service on the Kafka bus with ingestion on, against a real broker: 10,000 ingest records
 * (and bad ones among them) with a {@code kill -9} mid-stream become exactly 10,000 searchable cubes.
 */
class KafkaIngestIT {
    private static final int RECORDS = 10_000;
    private static final int BAD = 50;
    private static final String ADMIN = "kafka-it-admin-key-0123456789abcdef";

    @Test
    void ten_thousand_records_with_a_crash_mid_stream_become_exactly_ten_thousand_cubes() throws Exception {
        KafkaBroker broker = KafkaBroker.shared();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String ingestTopic = "it-ingest-" + run;
        List<String> jvm = List.of("-Dmemos.bus.kind=kafka", "-Dmemos.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "-Dmemos.bus.topic=it-events-" + run, "-Dmemos.ingest.enabled=true", "-Dmemos.ingest.topic=" + ingestTopic,
                "-Dmemos.ingest.dead-letter-topic=" + ingestTopic + ".dlq", "-Xmx1g");
        Path dataDir = Scratch.directory("memos-kafka-it");
        try (ServiceProcess service = new ServiceProcess(ServiceProcess.packagedJar(), dataDir,
                Map.of("MEMOS_ADMIN_KEY", ADMIN))) {
            service.start(jvm);
            JsonPath agent = as(service, ADMIN).body(Map.of("name", "ingestor", "kind", "service"))
                    .post("/v1/principals").then().statusCode(201).extract().jsonPath();
            as(service, ADMIN).body(Map.of("name", "chat")).post("/v1/spaces").then().statusCode(201);
            as(service, ADMIN).body(Map.of("role", "write"))
                    .put("/v1/spaces/chat/grants/" + agent.getString("id")).then().statusCode(200);
            String key = agent.getString("apiKey");

            long t0 = System.nanoTime();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < RECORDS; i++) {
                    String turn = "{\"type\":\"turn\",\"space\":\"chat\",\"apiKey\":\"" + key + "\",\"idempotencyKey\":\"turn-" + i
                            + "\",\"eventTime\":\"2026-03-01T10:00:00Z\",\"sourceRef\":\"D1:" + i + "\",\"speaker\":\"Ann\","
                            + "\"text\":\"Remember item " + i + " of the inventory list\"}";
                    producer.send(new ProducerRecord<>(ingestTopic, "conversation-" + (i % 40), turn));
                    if (i % (RECORDS / BAD) == 0) {
                        producer.send(new ProducerRecord<>(ingestTopic, "conversation-" + (i % 40), "{\"type\":\"turn\", broken"));
                    }
                }
                producer.flush();
            }

            long before = awaitMetric(service, "memos_ingest_records_processed_total", 2_500);
            service.kill();
            System.out.printf("killed the service after %d ingest records%n", before);

            service.start(jvm);
            // The restarted consumer resumes from the last committed offsets, at or before where it was killed. How
            // many records it has left is not known here (the first service went on after the metric was read), so
            // wait for the cubes themselves.
            awaitCubes(service, RECORDS);
            awaitMetric(service, "memos_ingest_consumer_lag", 0, true);
            assertEquals(RECORDS, cubes(service), "no record landed twice");
            Set<String> texts = allTexts(service, key);
            assertEquals(RECORDS, texts.size(), "every record landed exactly once");
            for (int i = 0; i < RECORDS; i++) {
                assertTrue(texts.contains("Ann: Remember item " + i + " of the inventory list"), "record " + i);
            }
            assertEquals(BAD, deadLettered(broker, ingestTopic + ".dlq"), "every malformed record dead-lettered");
            awaitMetric(service, "memos_bus_indexer_lag", 0, true);
            as(service, key).body(Map.of("query", "inventory item 4242", "mode", "keyword", "k", 1,
                            "consistency", "read-your-writes"))
                    .post("/v1/spaces/chat/search").then().statusCode(200)
                    .body("hits[0].cube.text", equalTo("Ann: Remember item 4242 of the inventory list"));
            System.out.printf("10,000 records produced to searchable with one crash in %.1f s%n",
                    (System.nanoTime() - t0) / 1e9);
        }
    }

    /**
     * Distinct source positions on the dead-letter topic (a record refused just before the crash may be
     * dead-lettered again on replay); each must carry the reason "malformed".
     */
    private static int deadLettered(KafkaBroker broker, String topic) {
        Set<String> sources = new HashSet<>();
        try (KafkaConsumer<String, String> dlq = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG,
                "it-dlq-reader", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            dlq.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (sources.size() < BAD && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : dlq.poll(Duration.ofMillis(500))) {
                    assertEquals("malformed", header(r, "memos-error-reason"));
                    sources.add(header(r, "memos-source-partition") + "@" + header(r, "memos-source-offset"));
                }
            }
            // Anything beyond BAD would arrive with the same poll cadence: one more look.
            for (ConsumerRecord<String, String> r : dlq.poll(Duration.ofSeconds(2))) {
                sources.add(header(r, "memos-source-partition") + "@" + header(r, "memos-source-offset"));
            }
        }
        return sources.size();
    }

    /** Cubes in the database, as the administrators' index check counts them. */
    private static long cubes(ServiceProcess service) {
        return as(service, ADMIN).get("/v1/admin/index/check").then().statusCode(200).extract().jsonPath().getLong("cubes");
    }

    private static void awaitCubes(ServiceProcess service, long count) throws InterruptedException {
        Awaitility.await("the database holds " + count + " cubes").atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500)).until(() -> cubes(service), cubes -> cubes >= count);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static Set<String> allTexts(ServiceProcess service, String key) {
        return Services.allTexts(service, key, "chat");
    }

    private static long awaitMetric(ServiceProcess service, String name, long atLeast) throws InterruptedException {
        return Services.awaitMetric(service, name, atLeast, false);
    }

    private static long awaitMetric(ServiceProcess service, String name, long target, boolean atMost)
            throws InterruptedException {
        return Services.awaitMetric(service, name, target, atMost);
    }

    private static RequestSpecification as(ServiceProcess service, String key) {
        return Services.as(service, key);
    }
}
