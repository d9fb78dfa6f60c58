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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scheduler overhead at N cubes: the packaged service (H2, Kafka ingestion, TTL + demotion +
 * consolidation on a 5 s timer) is filled with N ready memories through Kafka — 5 % already expired,
 * 1 % in pairs of identical text — and the bench reports how long the policy runs take: the run that
 * expires and fuses, then runs with nothing due. Embeddings come from a local stand-in speaking the
 * OpenAI embeddings protocol (deterministic vectors), so filling 100k cubes takes minutes, not an hour:
 * the scheduler does not embed. Run with {@code ./memos bench-scheduler [cubes=100000]}.
 */
public final class SchedulerBench {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ADMIN = "bench-admin-key-0123456789abcdefghij";

    public static void main(String[] args) throws Exception {
        int cubes = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path data = Scratch.directory("memos-bench-scheduler");
        EmbeddingStandIn embeddings = new EmbeddingStandIn("bench-fake", text -> EmbeddingStandIn.hashed(text, 384));
        Servers.asInProduction();
        KafkaBroker broker = KafkaBroker.start(data.resolve("kafka"));
        Path jar = Path.of(System.getProperty("memos.app.dir", "memos-api/target/quarkus-app"), "quarkus-run.jar")
                .toAbsolutePath();
        List<String> jvm = List.of("-Dmemos.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "-Dmemos.ingest.enabled=true", "-Dmemos.embedding.kind=openai",
                "-Dmemos.embedding.openai.base-url=" + embeddings.baseUrl(),
                "-Dmemos.embedding.openai.model=bench-fake", "-Dmemos.scheduler.interval=5s",
                "-Dmemos.scheduler.consolidation.enabled=true", "-Xmx1g");
        try (broker; ServiceProcess service = new ServiceProcess(jar, Files.createDirectories(data.resolve("memos")),
                Map.of("MEMOS_ADMIN_KEY", ADMIN))) {
            service.start(jvm);
            String base = service.baseUri();
            send(base, "/v1/spaces", "{\"name\":\"bench\"}");
            String past = Instant.now().minusSeconds(3600).toString();
            String future = Instant.now().plusSeconds(30 * 86_400).toString();
            long t0 = System.nanoTime();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 5),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < cubes; i++) {
                    int text = i % 100 == 1 ? i - 1 : i; // every 100th pair shares a text
                    String expires = i % 20 == 7 ? past : future;
                    producer.send(new ProducerRecord<>("memos.ingest", "k" + (i % 64), "{\"type\":\"memory\",\"space\":\"bench\","
                            + "\"apiKey\":\"" + ADMIN + "\",\"idempotencyKey\":\"m-" + i + "\",\"text\":\"fact number " + text
                            + " about topic " + (text % 97) + "\",\"expiresAt\":\"" + expires + "\"}"));
                }
            }
            System.out.printf("produced %,d memories; waiting for ingestion%n", cubes);
            long last = 0;
            while (true) {
                long created = Prometheus.value(Prometheus.scrape(base), "memos_ingest_cubes_created_total", -2);
                if (created >= cubes) {
                    break;
                }
                if (System.nanoTime() - last > 10e9) {
                    System.out.printf("  %,d cubes written, %.0f s%n", created, (System.nanoTime() - t0) / 1e9);
                    last = System.nanoTime();
                }
                Thread.sleep(500);
            }
            System.out.printf("%,d cubes written in %.0f s; scheduler runs every 5 s:%n", cubes, (System.nanoTime() - t0) / 1e9);
            Pattern done = Pattern.compile("lifecycle policies: (\\d+) expired, (\\d+) demoted, (\\d+) groups of duplicates fused in (\\d+) ms");
            // Catch-up: until three runs in a row took under 2 s (expiries, fusions and the first near-duplicate
            // pass over every cube are done), at most 20 minutes; then a minute of idle runs.
            long catchUp = System.nanoTime();
            List<Long> busy = new ArrayList<>();
            long previous = -1;
            int quiet = 0;
            while (quiet < 3 && System.nanoTime() - catchUp < 1_200e9) {
                Thread.sleep(1_000);
                long ms = Prometheus.value(Prometheus.scrape(base), "memos_scheduler_last_run_millis", -2);
                if (ms != previous) {
                    busy.add(ms);
                    quiet = ms < 2_000 ? quiet + 1 : 0;
                    previous = ms;
                }
            }
            System.out.printf("  caught up %.0f s after the load; run durations on the way (ms): %s%n",
                    (System.nanoTime() - catchUp) / 1e9, busy);
            List<Long> runs = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                Thread.sleep(5_000);
                runs.add(Prometheus.value(Prometheus.scrape(base), "memos_scheduler_last_run_millis", -2));
            }
            Matcher m = done.matcher(Files.readString(service.dataDir().resolve("service-1.log")));
            while (m.find()) {
                System.out.printf("  run with work: %s expired, %s demoted, %s pairs fused in %s ms%n", m.group(1), m.group(2),
                        m.group(3), m.group(4));
            }
            System.out.printf("  idle: last run duration sampled every 5 s for a minute after catching up (ms): %s%n", runs);
            System.out.printf("RSS %d MiB%n", service.rssKib() / 1024);
            service.stop();
        } finally {
            embeddings.close();
        }
    }

    private static void send(String base, String path, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(path + " -> " + r.statusCode() + ": " + r.body());
        }
    }

    private SchedulerBench() {
    }
}
