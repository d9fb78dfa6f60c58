package dev.memos.testkit.bench;

import dev.memos.testkit.Scratch;
import dev.memos.testkit.ServiceProcess;
import dev.memos.testkit.servers.KafkaBroker;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Kafka ingestion end to end: a real broker and the packaged service (events on Kafka, ingestion on);
 * N conversation turns are produced to the ingest topic and timed until every resulting cube is written
 * and until every one is searchable (the indexer's lag back at zero). Run with {@code ./memos bench-kafka}.
 *
 * <p>Arguments: {@code [records=10000] [bus=kafka|embedded]}.
 */
public final class KafkaIngestBench {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ADMIN = "bench-admin-key-0123456789abcdefghij";

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        String bus = args.length > 1 ? args[1] : "kafka";
        Path data = Scratch.directory("memos-bench-kafka");
        Path jar = Path.of(System.getProperty("memos.app.dir", "memos-api/target/quarkus-app"), "quarkus-run.jar")
                .toAbsolutePath();
        Servers.asInProduction();
        KafkaBroker broker = KafkaBroker.start(data.resolve("kafka"));
        String run = UUID.randomUUID().toString().substring(0, 8);
        String topic = "bench-ingest-" + run;
        List<String> jvm = new ArrayList<>(List.of("-Dmemos.bus.kind=" + bus, "-Dmemos.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "-Dmemos.ingest.enabled=true", "-Dmemos.ingest.topic=" + topic, "-Dmemos.ingest.dead-letter-topic=" + topic + ".dlq",
                "-Xmx1g"));
        // Extra service JVM options, e.g. -Dbench.service-opts=-XX:StartFlightRecording=filename=/tmp/memos.jfr
        String extra = System.getProperty("bench.service-opts", "");
        if (!extra.isBlank()) {
            jvm.addAll(List.of(extra.strip().split("\\s+")));
        }
        try (broker; ServiceProcess service = new ServiceProcess(jar, data.resolve("memos"), Map.of("MEMOS_ADMIN_KEY", ADMIN))) {
            Files.createDirectories(data.resolve("memos"));
            service.start(jvm);
            String base = service.baseUri();
            send(base, "POST", "/v1/spaces", "{\"name\":\"chat\"}");
            String key = ADMIN;
            send(base, "GET", "/v1/admin/index/check", null); // fail early if the check is not available
            System.out.printf("service ready in %d ms on the %s bus; producing %,d turns%n", service.lastStartMillis(), bus, records);

            long t0 = System.nanoTime();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < records; i++) {
                    producer.send(new ProducerRecord<>(topic, "conversation-" + (i % 50), "{\"type\":\"turn\",\"space\":\"chat\","
                            + "\"apiKey\":\"" + key + "\",\"idempotencyKey\":\"t-" + i + "\",\"speaker\":\"Ann\",\"text\":\"On day "
                            + (i % 365) + " I noted item " + i + " about topic " + (i % 97) + " and some filler words\"}"));
                }
                producer.flush();
            }
            double produced = (System.nanoTime() - t0) / 1e9;
            System.out.printf("produced in %.1f s%n", produced);
            long lastReport = System.nanoTime();
            double written = -1;
            while (true) {
                String metrics = Prometheus.scrape(base);
                long cubes = Prometheus.value(metrics, "memos_ingest_cubes_created_total", 0);
                long indexLag = bus.equals("kafka") ? Prometheus.value(metrics, "memos_bus_indexer_lag", 0) : 0;
                if (cubes >= records && written < 0) {
                    written = (System.nanoTime() - t0) / 1e9;
                }
                if (written >= 0 && indexLag == 0 && indexed(base, records)) {
                    break;
                }
                if (System.nanoTime() - lastReport > 5e9) {
                    System.out.printf("  %,d cubes written, indexer lag %,d, %.0f s%n", cubes, indexLag, (System.nanoTime() - t0) / 1e9);
                    lastReport = System.nanoTime();
                }
                Thread.sleep(200);
            }
            double searchable = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%n%,d records: written in %.1f s (%.0f records/s), all searchable in %.1f s (%.0f records/s)"
                    + " produce to searchable; RSS %d MiB%n", records, written, records / written, searchable,
                    records / searchable, service.rssKib() / 1024);
            service.stop();
        }
    }

    /**
     * Whether the index holds every cube, by the admin consistency check (a search would do, but each of
     * its hits counts as an access and heats the cube it returns while the bench polls).
     */
    private static boolean indexed(String base, int records) throws Exception {
        String report = send(base, "GET", "/v1/admin/index/check", null);
        return report.contains("\"cubes\":" + records + ",") && report.contains("\"indexed\":" + records + ",")
                && report.contains("\"missing\":[]") && report.contains("\"stale\":[]");
    }

    private static String send(String base, String method, String path, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " -> " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private KafkaIngestBench() {
    }
}
