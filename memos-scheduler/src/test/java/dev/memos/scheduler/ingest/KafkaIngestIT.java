package dev.memos.scheduler.ingest;

import org.awaitility.Awaitility;
import dev.memos.kernel.model.MemCube;
import dev.memos.scheduler.Fixture;
import dev.memos.testkit.servers.KafkaBroker;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kafka-driven ingestion against a real broker, writing through the kernel into the reference store. */
class KafkaIngestIT {
    private final Fixture f = new Fixture();
    private final String topic = "ingest-" + UUID.randomUUID();

    private IngestConsumer consumer(String client) {
        return new IngestConsumer(new IngestConsumer.Settings(KafkaBroker.shared().bootstrapServers(), topic, topic + ".dlq",
                "memos-ingest", client, 100, 3, (short) 1), f.processor(8192));
    }

    /** Produces to the ingest topic, which the consumer creates: build a consumer first. */
    private static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.shared().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000), new StringSerializer(),
                new StringSerializer());
    }

    private static String memory(int i) {
        return "{\"type\":\"memory\",\"space\":\"notes\",\"idempotencyKey\":\"rec-" + i + "\",\"text\":\"fact number " + i + "\"}";
    }

    private void produce(List<String> values) throws Exception {
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < values.size(); i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, values.get(i)));
            }
            producer.flush();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Awaitility.await(what).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                .until(condition::getAsBoolean);
    }

    private Set<String> texts() {
        Set<String> texts = new HashSet<>();
        for (MemCube cube : f.cubes()) {
            assertTrue(texts.add(((dev.memos.kernel.model.TextPayload) cube.payload()).text()), "no cube twice");
        }
        return texts;
    }

    @Test
    void bad_records_go_to_the_dead_letter_topic_with_reasons_and_every_good_record_lands() throws Exception {
        List<String> records = new ArrayList<>();
        Map<String, String> expectedReasons = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            String bad = switch (i % 50) {
                case 7 -> "{\"type\":\"memory\",";
                case 19 -> "{\"type\":\"memory\",\"space\":\"elsewhere\",\"idempotencyKey\":\"x" + i + "\",\"text\":\"t\"}";
                case 23 -> "{\"type\":\"memory\",\"space\":\"notes\",\"idempotencyKey\":\"y" + i + "\",\"text\":\"t\",\"apiKey\":\""
                        + f.reader.apiKey() + "\"}";
                case 41 -> "{\"type\":\"memory\",\"space\":\"notes\",\"idempotencyKey\":\"z" + i + "\",\"text\":\""
                        + "x".repeat(9000) + "\"}";
                default -> null;
            };
            if (bad != null) {
                expectedReasons.put(bad, switch (i % 50) {
                    case 7 -> "malformed";
                    case 19 -> "unknown-space";
                    case 23 -> "forbidden";
                    default -> "too-large";
                });
                records.add(bad);
            } else {
                records.add(memory(i));
            }
        }
        try (IngestConsumer consumer = consumer("dlq")) {
            produce(records);
            consumer.start();
            await("all records handled", () -> consumer.stats().processed() == records.size());
            assertEquals(24, consumer.stats().deadLettered());
            assertEquals(276, consumer.stats().cubes());
            await("lag 0", () -> consumer.stats().lag() == 0);
        }
        Set<String> expectedTexts = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            if (!Set.of(7, 19, 23, 41).contains(i % 50)) {
                expectedTexts.add("fact number " + i);
            }
        }
        assertEquals(expectedTexts, texts());

        Map<String, String> reasons = new HashMap<>();
        try (KafkaConsumer<String, String> dlq = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.shared().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            dlq.subscribe(List.of(topic + ".dlq"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (reasons.size() < 24 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : dlq.poll(Duration.ofMillis(200))) {
                    reasons.put(r.value(), new String(r.headers().lastHeader("memos-error-reason").value(), StandardCharsets.UTF_8));
                    assertTrue(r.headers().lastHeader("memos-error-message").value().length > 0);
                    assertEquals(topic, new String(r.headers().lastHeader("memos-source-topic").value(), StandardCharsets.UTF_8));
                }
            }
        }
        assertEquals(expectedReasons, reasons);
    }

    @Test
    void a_consumer_stopped_mid_stream_and_started_again_loses_nothing_and_duplicates_nothing() throws Exception {
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            records.add(memory(i));
        }
        try (IngestConsumer first = consumer("first")) {
            produce(records);
            first.start();
            await("some records handled", () -> first.stats().processed() >= 300);
        }
        assertTrue(f.cubes().size() < 2_000, "stopped mid-stream");
        try (IngestConsumer second = consumer("second")) {
            second.start();
            await("every record landed", () -> f.cubes().size() >= 2_000);
            await("lag 0", () -> second.stats().lag() == 0);
        }
        assertEquals(2_000, texts().size());
    }

    @Test
    void two_consumers_in_one_group_split_the_records_and_none_is_processed_twice() throws Exception {
        try (IngestConsumer one = consumer("one"); IngestConsumer two = consumer("two")) {
            one.start();
            two.start();
            await("a balanced group", () -> one.assignedPartitions() > 0 && two.assignedPartitions() > 0
                    && one.assignedPartitions() + two.assignedPartitions() == 3);
            List<String> records = new ArrayList<>();
            for (int i = 0; i < 1_200; i++) {
                records.add(memory(i));
            }
            produce(records);
            await("every record processed", () -> one.stats().processed() + two.stats().processed() >= 1_200);
            Awaitility.await("no record processed twice").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                    .until(() -> one.stats().processed() + two.stats().processed() == 1_200);
            assertTrue(one.stats().processed() > 0 && two.stats().processed() > 0,
                    "both did work: " + one.stats() + " " + two.stats());
            assertEquals(1_200, one.stats().processed() + two.stats().processed(), "no record processed twice");
            assertEquals(1_200, one.stats().cubes() + two.stats().cubes());
        }
        assertEquals(1_200, texts().size());
    }
}
