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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures the foundation as a user sees it: the packaged service started as a process on a fresh
 * embedded database; start time, idle RSS, cube writes over HTTP (throughput and latency with
 * concurrent clients), time until all of them are searchable (local embedding included), hybrid
 * search, reads and list pages, RSS after the load. Run with {@code ./memos bench}.
 *
 * <p>Arguments: {@code [cubes=20000] [clients=8]}.
 */
public final class FoundationBench {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        int cubes = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        // > 0: the cubes are conversation turns, this many per session (each indexed with its context window)
        int turnsPerSession = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        Path data = Scratch.directory("memos-bench");
        Path jar = Path.of(System.getProperty("memos.app.dir", "memos-api/target/quarkus-app"), "quarkus-run.jar")
                .toAbsolutePath();
        try (ServiceProcess service = new ServiceProcess(jar, data, Map.of())) {
            service.start();
            long startMs = service.lastStartMillis();
            Thread.sleep(2_000);
            long idleRss = service.rssKib();
            String base = service.baseUri();
            String key = Files.readString(data.resolve("admin.key")).strip();
            send(base, key, "POST", "/v1/spaces", "{\"name\":\"bench\"}");

            warmUp(base, key);
            List<String> ids = new ArrayList<>(cubes);
            long[] writeNs = new long[cubes];
            AtomicInteger next = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(clients, r -> Thread.ofPlatform().daemon().unstarted(r));
            long t0 = System.nanoTime();
            List<Future<List<String>>> workers = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                workers.add(pool.submit(() -> {
                    List<String> mine = new ArrayList<>();
                    for (int i = next.getAndIncrement(); i < cubes; i = next.getAndIncrement()) {
                        long s = System.nanoTime();
                        String body = send(base, key, "POST", "/v1/spaces/bench/cubes",
                                "{\"text\":\"synthetic memory " + i + " about topic " + (i % 97)
                                        + " with some filler words to look like a fact\",\"tags\":[\"t" + (i % 13) + "\"]"
                                        + (turnsPerSession > 0 ? ",\"kind\":\"message\",\"sessionId\":\"s" + i / turnsPerSession + "\"" : "")
                                        + "}");
                        writeNs[i] = System.nanoTime() - s;
                        mine.add(body.substring(7, 43));
                        if (i > 0 && i % 5_000 == 0) {
                            System.out.printf("  … %d cubes written%n", i);
                        }
                    }
                    return mine;
                }));
            }
            for (Future<List<String>> worker : workers) {
                ids.addAll(worker.get());
            }
            double writeSeconds = (System.nanoTime() - t0) / 1e9;
            // Writes outpace embedding: wait (503 = not yet) until every write is searchable.
            while (true) {
                try {
                    send(base, key, "POST", "/v1/spaces/bench/search",
                            "{\"query\":\"caught up?\",\"consistency\":\"read-your-writes\"}");
                    break;
                } catch (IllegalStateException notYet) {
                    if (!notYet.getMessage().contains("503")) {
                        throw notYet;
                    }
                    System.out.println("  … waiting for the index to catch up");
                }
            }
            double searchableSeconds = (System.nanoTime() - t0) / 1e9;

            int reads = Math.min(cubes, 5_000);
            long[] readNs = new long[reads];
            for (int i = 0; i < reads; i++) {
                long s = System.nanoTime();
                send(base, key, "GET", "/v1/cubes/" + ids.get((i * 7919) % ids.size()), null);
                readNs[i] = System.nanoTime() - s;
            }
            int lists = 500;
            long[] listNs = new long[lists];
            for (int i = 0; i < lists; i++) {
                long s = System.nanoTime();
                send(base, key, "GET", "/v1/spaces/bench/cubes?limit=50&tag=t" + (i % 13), null);
                listNs[i] = System.nanoTime() - s;
            }
            int searches = 500;
            long[] searchNs = searches(base, key, searches);
            // With sessions, each window's own embedding follows when the service is idle: searches above ran while
            // it was at it; wait for none to be left and search again.
            long[] settledNs = null;
            double windowSeconds = 0;
            if (turnsPerSession > 0) {
                long w0 = System.nanoTime();
                long pending;
                while ((pending = pendingWindows(base, key)) > 0) {
                    System.out.printf("  … %d context windows still to embed%n", pending);
                    Thread.sleep(10_000);
                }
                windowSeconds = (System.nanoTime() - w0) / 1e9;
                settledNs = searches(base, key, searches);
            }
            pool.shutdown();
            long loadedRss = service.rssKib();
            long dbBytes = Files.walk(data.resolve("db")).filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();

            System.out.println();
            System.out.printf("memos foundation benchmark — %d cubes, %d concurrent clients, embedded H2%s%n", cubes, clients,
                    turnsPerSession > 0 ? ", " + turnsPerSession + " turns per session" : "");
            System.out.printf("start to ready            %6d ms%n", startMs);
            System.out.printf("RSS idle / after load     %6d MiB / %d MiB%n", idleRss / 1024, loadedRss / 1024);
            System.out.printf("write throughput          %8.0f cubes/s%n", cubes / writeSeconds);
            System.out.printf("write latency p50/95/99   %s%n", Percentiles.of(writeNs));
            System.out.printf("ingest until searchable   %8.0f cubes/s (embedding and indexing included)%n",
                    cubes / searchableSeconds);
            System.out.printf("hybrid search p50/95/99   %s  (%d POST /v1/spaces/bench/search, k=10)%n",
                    Percentiles.of(searchNs), searches);
            if (settledNs != null) {
                System.out.printf("windows embedded after     %6.0f s more (when idle, after the searches above)%n", windowSeconds);
                System.out.printf("hybrid search p50/95/99   %s  (the same searches, every window embedded)%n",
                        Percentiles.of(settledNs));
            }
            System.out.printf("read  latency p50/95/99   %s  (%d GET /v1/cubes/{id})%n", Percentiles.of(readNs), reads);
            System.out.printf("list  latency p50/95/99   %s  (%d pages of 50, tag filter)%n", Percentiles.of(listNs), lists);
            System.out.printf("database on disk          %6d MiB%n", dbBytes / (1024 * 1024));
        }
    }

    private static long[] searches(String base, String key, int searches) throws Exception {
        long[] searchNs = new long[searches];
        for (int i = 0; i < searches; i++) {
            long s = System.nanoTime();
            send(base, key, "POST", "/v1/spaces/bench/search",
                    "{\"query\":\"memory about topic " + (i % 97) + "\",\"k\":10}");
            searchNs[i] = System.nanoTime() - s;
        }
        return searchNs;
    }

    private static long pendingWindows(String base, String key) throws Exception {
        String lag = send(base, key, "GET", "/v1/spaces/bench/search/lag", null);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"pendingWindows\":(\\d+)").matcher(lag);
        if (!m.find()) {
            throw new IllegalStateException("no pendingWindows in " + lag);
        }
        return Long.parseLong(m.group(1));
    }

    private static void warmUp(String base, String key) throws Exception {
        for (int i = 0; i < 300; i++) {
            send(base, key, "GET", "/v1/spaces/bench/cubes?limit=5", null);
        }
    }

    private static String send(String base, String key, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " → " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }
}
