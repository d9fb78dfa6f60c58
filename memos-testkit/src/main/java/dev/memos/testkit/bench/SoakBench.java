package dev.memos.testkit.bench;

import dev.memos.testkit.Scratch;
import dev.memos.testkit.ServiceProcess;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A long mixed load on the packaged service as {@code ./memos serve} starts it (the launcher's heap and GC flags,
 * passed in {@code bench.service-opts}): {@code clients} clients, each request a write or a hybrid search at even
 * odds, on a fresh embedded database with the local embedding model. Each minute it prints the minute's throughput,
 * write and search p50 / p99, errors, the service's RSS (private and file-backed: the search index as mapped) and its
 * heap (used, committed, live after the last collection); at the end it checks the floors: RSS flat
 * (within ±15 % of its mean) over the last 20 minutes, and p99 in the last 10 minutes within 1.5× the first 10.
 * Run with {@code ./memos bench-soak [minutes=30] [clients=8]}.
 */
public final class SoakBench {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One minute's samples. */
    private static final class Minute {
        final List<Long> writes = new ArrayList<>();
        final List<Long> searches = new ArrayList<>();
        long errors;
        long rssKib;
        long anonKib;
        long fileKib;
        long heapUsedMib;
        long heapCommittedMib;
        long liveMib;

        synchronized void add(boolean write, long nanos) {
            (write ? writes : searches).add(nanos);
        }

        synchronized void error() {
            errors++;
        }

        synchronized long[] writeNanos() {
            return writes.stream().mapToLong(Long::longValue).toArray();
        }

        synchronized long[] searchNanos() {
            return searches.stream().mapToLong(Long::longValue).toArray();
        }
    }

    public static void main(String[] args) throws Exception {
        int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        List<String> serviceOpts = Arrays.stream(System.getProperty("bench.service-opts", "").split("\\s+"))
                .filter(s -> !s.isBlank()).toList();
        Path data = Scratch.directory("memos-soak");
        Path jar = Path.of(System.getProperty("memos.app.dir", "memos-api/target/quarkus-app"), "quarkus-run.jar")
                .toAbsolutePath();
        System.out.printf("soak: %d minutes, %d clients (half writes, half hybrid searches), service flags %s%n",
                minutes, clients, serviceOpts);
        try (ServiceProcess service = new ServiceProcess(jar, data, Map.of())) {
            service.start(serviceOpts);
            String base = service.baseUri();
            String key = Files.readString(data.resolve("admin.key")).strip();
            send(base, key, "POST", "/v1/spaces", "{\"name\":\"soak\"}");
            System.out.printf("started in %d ms, RSS idle %d MiB%n", service.lastStartMillis(), service.rssKib() / 1024);

            Minute[] perMinute = new Minute[minutes];
            for (int i = 0; i < minutes; i++) {
                perMinute[i] = new Minute();
            }
            long t0 = System.nanoTime();
            long end = t0 + minutes * 60_000_000_000L;
            AtomicLong written = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                threads.add(Thread.ofPlatform().daemon().start(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
                        Minute minute = perMinute[(int) Math.min(minutes - 1, (now - t0) / 60_000_000_000L)];
                        boolean write = random.nextBoolean();
                        int topic = random.nextInt(500);
                        String body = write
                                ? "{\"text\":\"note " + written.incrementAndGet() + " about topic " + topic
                                + " with a few more words to look like a fact\",\"tags\":[\"t" + topic % 13 + "\"]}"
                                : "{\"query\":\"what about topic " + topic + "\",\"k\":10}";
                        long s = System.nanoTime();
                        try {
                            send(base, key, "POST", write ? "/v1/spaces/soak/cubes" : "/v1/spaces/soak/search", body);
                            minute.add(write, System.nanoTime() - s);
                        } catch (Exception e) {
                            minute.error();
                        }
                    }
                }));
            }
            System.out.println("minute | writes/s | searches/s | write p50 / p99 ms | search p50 / p99 ms | errors"
                    + " | RSS MiB (anon + file) | heap used / committed MiB | live after GC MiB");
            for (int m = 0; m < minutes; m++) {
                long due = t0 + (m + 1) * 60_000_000_000L;
                Thread.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000));
                Minute minute = perMinute[m];
                minute.rssKib = service.rssKib();
                minute.anonKib = service.statusKib("RssAnon");
                minute.fileKib = service.statusKib("RssFile");
                String metrics = Prometheus.scrape(base);
                minute.heapUsedMib = Prometheus.sum(metrics, "jvm_memory_used_bytes", "area=\"heap\"") >> 20;
                minute.heapCommittedMib = Prometheus.sum(metrics, "jvm_memory_committed_bytes", "area=\"heap\"") >> 20;
                minute.liveMib = Prometheus.value(metrics, "jvm_gc_live_data_size_bytes", -1) >> 20;
                long[] w = minute.writeNanos();
                long[] s = minute.searchNanos();
                System.out.printf("%6d | %8.1f | %10.1f | %7.1f / %7.1f | %7.1f / %7.1f | %6d | %5d (%d + %d) | %5d / %5d | %5d%n",
                        m + 1, w.length / 60.0, s.length / 60.0, Percentiles.quantile(w, 0.5),
                        Percentiles.quantile(w, 0.99), Percentiles.quantile(s, 0.5), Percentiles.quantile(s, 0.99),
                        minute.errors, minute.rssKib / 1024, minute.anonKib / 1024, minute.fileKib / 1024,
                        minute.heapUsedMib, minute.heapCommittedMib, minute.liveMib);
            }
            for (Thread thread : threads) {
                thread.join(60_000);
            }
            verdict(perMinute);
        }
    }

    /** The floors, printed with the figures they compare. */
    private static void verdict(Minute[] perMinute) {
        int n = perMinute.length;
        int lastRss = Math.min(20, n);
        double mean = 0;
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int m = n - lastRss; m < n; m++) {
            mean += perMinute[m].rssKib / (double) lastRss;
            min = Math.min(min, perMinute[m].rssKib);
            max = Math.max(max, perMinute[m].rssKib);
        }
        double spread = Math.max(max - mean, mean - min) / mean;
        System.out.printf("RSS over the last %d minutes: %d–%d MiB, at most %.1f %% from its mean: %s (floor ±15 %%)%n",
                lastRss, min / 1024, max / 1024, spread * 100, spread <= 0.15 ? "flat" : "NOT flat");
        int window = Math.max(1, Math.min(10, n / 2));
        for (boolean write : new boolean[]{true, false}) {
            double first = Percentiles.quantile(pooled(perMinute, 0, window, write), 0.99);
            double last = Percentiles.quantile(pooled(perMinute, n - window, n, write), 0.99);
            System.out.printf("%s p99, first %d minutes %.1f ms, last %d minutes %.1f ms: %.2fx (floor 1.5x): %s%n",
                    write ? "write" : "search", window, first, window, last, last / first,
                    last <= 1.5 * first ? "met" : "NOT met");
        }
    }

    private static long[] pooled(Minute[] perMinute, int from, int to, boolean write) {
        List<long[]> parts = new ArrayList<>();
        for (int m = from; m < to; m++) {
            parts.add(write ? perMinute[m].writeNanos() : perMinute[m].searchNanos());
        }
        return parts.stream().flatMapToLong(Arrays::stream).toArray();
    }

    private static void send(String base, String key, String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " → " + response.statusCode() + " " + response.body());
        }
    }
}
