package dev.memos.testkit.bench;

import dev.memos.testkit.Scratch;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memos.testkit.ServiceProcess;
import dev.memos.testkit.servers.KafkaBroker;
import dev.memos.testkit.servers.SolrCloud;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Search latency over HTTP at a million cubes. Embedding a million texts with the local model takes hours on two
 * cores, so the vectors are precomputed: a stand-in speaking the OpenAI embeddings protocol returns, for a text
 * naming cluster {@code c<n>}, that cluster's centre plus Gaussian noise (1,000 clusters in 384 dimensions,
 * σ = 0.35, unit length — the distribution of {@code bench-index}). The packaged service (H2, embedded bus,
 * Kafka ingestion) is filled through the ingest topic, then the bench times hybrid searches (k = 10) over HTTP,
 * one client, before and after {@code POST /v1/admin/index/optimize}. Query vectors come from the stand-in
 * too (a local HTTP hop); the local model's own query embedding (2–8 ms, {@code docs/benchmarks.md}) is not in
 * these figures. Run with {@code ./memos bench-search [cubes=1000000] [queries=1000]}; with
 * {@code MEMOS_BENCH_OPTS=-Dbench.data=<dir>} the filled data stays in {@code <dir>} and a later run on it only
 * measures (the service started on the kept data, without Kafka).
 */
public final class SearchBench {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "bench-admin-key-0123456789abcdefghij";
    private static final int DIMENSION = 384;
    /** Searches before the timed ones, all modes in turn: a service answering agents runs warm. */
    private static final int WARM_UP = 1_500;
    private static final int CLUSTERS = 1_000;
    private static final float[][] CENTRES = centres();
    private static final Pattern CLUSTER = Pattern.compile("\\bc(\\d+)\\b");
    private static final String[] WORDS = ("time person year way day thing man world life hand part child eye woman place "
            + "work week case point government company number group problem fact garden music coffee travel doctor family "
            + "school friend house city river mountain book movie dinner birthday meeting project budget holiday car "
            + "train flight hotel museum concert recipe allergy medicine exercise language guitar painting").split(" ");

    public static void main(String[] args) throws Exception {
        int cubes = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int queries = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        // -Dbench.index=lucene (default), solr, or lucene,solr: each index in turn, the same data, one summary
        List<String> kinds = List.of(System.getProperty("bench.index", "lucene").split(","));
        if (!kinds.stream().allMatch(k -> k.equals("lucene") || k.equals("solr"))) {
            throw new IllegalArgumentException("-Dbench.index takes lucene, solr or lucene,solr, not " + kinds);
        }
        Servers.asInProduction();
        List<String> summary = new ArrayList<>();
        for (String kind : kinds) {
            summary.add(run(kind, cubes, queries));
        }
        System.out.printf("%nsummary, %,d cubes, %,d queries per mode, one client:%n", cubes, queries);
        summary.forEach(System.out::println);
    }

    /** Fills a service on this index and measures it; the summary line of the run. */
    private static String run(String kind, int cubes, int queries) throws Exception {
        boolean solr = kind.equals("solr");
        // -Dbench.data=<dir> keeps the filled service's data: a second run on it measures without filling again
        String kept = System.getProperty("bench.data");
        if (kept != null && solr) {
            throw new IllegalStateException("-Dbench.data keeps the Lucene index only; run Solr without it");
        }
        Path data = kept != null ? Files.createDirectories(Path.of(kept)) : Scratch.directory("memos-bench-search");
        Path marker = data.resolve("filled-cubes");
        boolean reuse = Files.exists(marker);
        if (reuse && Long.parseLong(Files.readString(marker).strip()) != cubes) {
            throw new IllegalStateException(data + " holds " + Files.readString(marker).strip() + " cubes, not " + cubes);
        }
        EmbeddingStandIn embeddings = new EmbeddingStandIn("bench-clusters", SearchBench::vector);
        KafkaBroker broker = reuse ? null : KafkaBroker.start(data.resolve("kafka"));
        Path jar = Path.of(System.getProperty("memos.app.dir", "memos-api/target/quarkus-app"), "quarkus-run.jar")
                .toAbsolutePath();
        List<String> jvm = new ArrayList<>(List.of("-Dmemos.embedding.kind=openai",
                "-Dmemos.embedding.openai.base-url=" + embeddings.baseUrl(),
                "-Dmemos.embedding.openai.model=bench-clusters"));
        if (!reuse) {
            jvm.addAll(List.of("-Dmemos.kafka.bootstrap-servers=" + broker.bootstrapServers(), "-Dmemos.ingest.enabled=true"));
        }
        // solr: the search index on a two-node SolrCloud started here (docs/solr.md), not on local disk
        SolrCloud cloud = solr ? SolrCloud.start(data.resolve("solr")) : null;
        if (solr) {
            jvm.addAll(List.of("-Dmemos.search.kind=solr", "-Dmemos.search.solr.urls=" + String.join(",", cloud.urls())));
        }
        String label = solr ? "SolrCloud, 2 nodes, 2 shards" : "embedded Lucene";
        System.out.printf("search index: %s%n", label);
        // the launcher passes ./memos serve's heap and GC flags; more, e.g. -XX:StartFlightRecording=filename=/tmp/search.jfr
        jvm.addAll(List.of(System.getProperty("bench.service-opts", "").split("\\s+")).stream().filter(o -> !o.isBlank()).toList());
        try (ServiceProcess service = new ServiceProcess(jar, Files.createDirectories(data.resolve("memos")),
                Map.of("MEMOS_ADMIN_KEY", ADMIN))) {
            service.start(jvm);
            String base = service.baseUri();
            String line;
            if (reuse) {
                System.out.printf("reusing %,d cubes in %s%n", cubes, data);
                line = String.format("  %-29s reused data, hybrid p50 / p95 / p99 %s", label, measure(base, queries, "reused data"));
            } else {
                double rate = fill(base, broker, cubes);
                System.out.printf("service RSS when filled: %s%n", rss(service));
                String hybrid = measure(base, queries, "as loaded");
                System.out.printf("service RSS after the searches: %s%n", rss(service));
                String memory;
                if (solr) {
                    memory = "Solr nodes' RSS " + cloud.rssMib() + " MiB";
                } else {
                    optimizeAndMeasure(base, queries);
                    System.out.printf("service RSS after optimize and its searches: %s%n", rss(service));
                    memory = "index " + (size(service.dataDir().resolve("index")) >> 20) + " MiB";
                }
                System.out.println(memory);
                line = String.format("  %-29s filled at %,6.0f cubes/s, hybrid p50 / p95 / p99 %s, %s, service RSS %,d MiB",
                        label, rate, hybrid, memory, service.rssKib() / 1024);
                if (kept != null) {
                    Files.writeString(marker, Integer.toString(cubes));
                }
            }
            System.out.printf("index on disk %,d MiB, database %,d MiB, service RSS %,d MiB%n",
                    size(service.dataDir().resolve("index")) >> 20, size(service.dataDir().resolve("db")) >> 20,
                    service.rssKib() / 1024);
            service.stop();
            return line;
        } finally {
            embeddings.close();
            if (broker != null) {
                broker.close();
            }
            if (cloud != null) {
                cloud.close();
            }
        }
    }

    /** The service's RSS as private memory + mapped files (such as the search index's), and its heap. */
    private static String rss(ServiceProcess service) throws Exception {
        String metrics = Prometheus.scrape(service.baseUri());
        return String.format("%,d MiB (%,d + %,d); heap used / committed %,d / %,d MiB, live after GC %,d MiB",
                service.rssKib() / 1024, service.statusKib("RssAnon") / 1024, service.statusKib("RssFile") / 1024,
                Prometheus.sum(metrics, "jvm_memory_used_bytes", "area=\"heap\"") >> 20,
                Prometheus.sum(metrics, "jvm_memory_committed_bytes", "area=\"heap\"") >> 20,
                Prometheus.value(metrics, "jvm_gc_live_data_size_bytes", -1) >> 20);
    }

    private static void optimizeAndMeasure(String base, int queries) throws Exception {
                JsonNode optimized = JSON.readTree(send(base, "POST", "/v1/admin/index/optimize", null));
                System.out.printf("optimize: %d → %d segments in %.0f s%n", optimized.path("segmentsBefore").asInt(),
                        optimized.path("segmentsAfter").asInt(), optimized.path("tookMs").asLong() / 1e3);
                measure(base, queries, "after optimize");
    }

    /** Produces the memories to the ingest topic and waits until the service wrote and indexed every one: cubes/s. */
    private static double fill(String base, KafkaBroker broker, int cubes) throws Exception {
        send(base, "POST", "/v1/spaces", "{\"name\":\"bench\"}");
        long t0 = System.nanoTime();
        Random random = new Random(7);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < cubes; i++) {
                String text = "m" + i + " c" + random.nextInt(CLUSTERS) + " " + words(random, 10);
                producer.send(new ProducerRecord<>("memos.ingest", "k" + (i % 64), "{\"type\":\"memory\",\"space\":\"bench\","
                        + "\"apiKey\":\"" + ADMIN + "\",\"idempotencyKey\":\"m-" + i + "\",\"text\":\"" + text + "\"}"));
            }
        }
        System.out.printf("produced %,d memories in %.0f s; waiting until they are written and searchable%n", cubes,
                (System.nanoTime() - t0) / 1e9);
        long last = 0;
        while (true) {
            String metrics = Prometheus.scrape(base);
            long created = Prometheus.value(metrics, "memos_ingest_cubes_created_total", -2);
            long pending = Prometheus.value(metrics, "memos_index_pending_events", -2);
            // partitions are consumed side by side, so no single record is the last one written: ask the index, once
            // nothing is pending for it (the check reads every cube and every indexed id: too heavy to poll with)
            if (created >= cubes && pending <= 0 && JSON.readTree(send(base, "GET", "/v1/admin/index/check", null))
                    .path("indexed").asLong() >= cubes) {
                break;
            }
            if (System.nanoTime() - last > 30e9) {
                System.out.printf("  %,d cubes written, %,d events pending for the index, %.0f s%n", created, pending,
                        (System.nanoTime() - t0) / 1e9);
                last = System.nanoTime();
            }
            Thread.sleep(created >= cubes ? 15_000 : 1_000);
        }
        double filled = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%,d cubes written and searchable in %.0f s (%.0f cubes/s)%n", cubes, filled, cubes / filled);
        JsonNode check = JSON.readTree(send(base, "GET", "/v1/admin/index/check", null));
        System.out.printf("index check: %,d cubes, %,d indexed, %d missing, %d stale%n", check.path("cubes").asLong(),
                check.path("indexed").asLong(), check.path("missing").size(), check.path("stale").size());
        return cubes / filled;
    }

    /** Times each mode's searches; the hybrid figures. */
    private static String measure(String base, int queries, String label) throws Exception {
        String hybrid = null;
        Random random = new Random(11);
        for (int i = 0; i < WARM_UP; i++) { // the JIT compiles the search path, the database's and the OS's caches fill
            search(base, "c" + random.nextInt(CLUSTERS) + " " + words(random, 3), List.of("hybrid", "vector", "keyword").get(i % 3));
        }
        for (String mode : List.of("hybrid", "vector", "keyword")) {
            long[] nanos = new long[queries];
            long[] inService = new long[queries];
            for (int i = 0; i < queries; i++) {
                String query = "c" + random.nextInt(CLUSTERS) + " " + words(random, 3);
                long t = System.nanoTime();
                JsonNode result = search(base, query, mode);
                nanos[i] = System.nanoTime() - t;
                inService[i] = result.path("tookMs").asLong() * 1_000_000;
                if (result.path("hits").isEmpty()) {
                    throw new IllegalStateException("no hits for " + query + " (" + mode + ")");
                }
            }
            System.out.printf("HTTP %-7s search (k = 10, %s): p50 / p95 / p99 %s%n", mode, label, Percentiles.of(nanos));
            hybrid = hybrid == null ? Percentiles.of(nanos) : hybrid;
            // the service's own tookMs (whole milliseconds): retrieval without HTTP, authentication and JSON
            System.out.printf("  of which in the service's retrieval:       p50 / p95 / p99 %s%n", Percentiles.of(inService));
        }
        return hybrid;
    }

    private static JsonNode search(String base, String query, String mode) throws Exception {
        return JSON.readTree(send(base, "POST", "/v1/spaces/bench/search",
                JSON.writeValueAsString(Map.of("query", query, "k", 10, "mode", mode))));
    }

    private static String words(Random random, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            // Zipf-like: low indexes far more often
            int w = (int) Math.min(WORDS.length - 1, Math.floor(Math.pow(random.nextDouble(), 2.5) * WORDS.length));
            b.append(i == 0 ? "" : " ").append(WORDS[w]);
        }
        return b.toString();
    }

    private static float[][] centres() {
        Random random = new Random(1);
        float[][] centres = new float[CLUSTERS][DIMENSION];
        for (float[] c : centres) {
            for (int d = 0; d < DIMENSION; d++) {
                c[d] = (float) random.nextGaussian();
            }
            EmbeddingStandIn.normalise(c);
        }
        return centres;
    }

    /** The centre of the cluster the text names, plus noise seeded by the text: the same text, the same vector. */
    static float[] vector(String text) {
        Matcher m = CLUSTER.matcher(text);
        float[] centre = CENTRES[m.find() ? Integer.parseInt(m.group(1)) % CLUSTERS : Math.floorMod(text.hashCode(), CLUSTERS)];
        Random noise = new Random(text.hashCode());
        float[] v = new float[DIMENSION];
        float sigma = 0.35f / (float) Math.sqrt(DIMENSION);
        for (int d = 0; d < DIMENSION; d++) {
            v[d] = centre[d] + sigma * (float) noise.nextGaussian();
        }
        EmbeddingStandIn.normalise(v);
        return v;
    }

    private static String send(String base, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json").timeout(Duration.ofMinutes(30));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** The bytes of the files under {@code dir}; 0 when it does not exist (no local index on Solr). */
    private static long size(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private SearchBench() {
    }
}
