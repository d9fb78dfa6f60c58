package dev.memos.testkit.bench;

import dev.memos.testkit.Scratch;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memos.testkit.ServiceProcess;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Evidence recall of memos' retrieval on the LoCoMo development subset, read from
 * {@code ../shared/data/locomo-dev} (never copied into the project). Each dialog turn becomes a
 * plaintext cube in one space per conversation (event time = the session's date, sourceRef = the
 * dialog id, session = the conversation's session, subject = the speaker); every question of categories 1–4 is asked in keyword, vector and hybrid mode over
 * HTTP. Run with {@code ./memos eval-locomo [path-to-locomo-dev.json] [-Dservice.setting=value …]}.
 */
public final class LocomoEval {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int[] KS = {1, 5, 10, 20};
    private static final List<String> MODES = List.of("keyword", "vector", "hybrid");

    /** @param now the conversation's own present: its last turn's time, against which "last year" resolves */
    private record Question(String space, String text, Set<String> evidence, int category, java.time.Instant now) {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "../shared/data/locomo-dev/locomo-dev.json");
        LocomoData.Data locomo = LocomoData.read(file);
        Path data = Scratch.directory("memos-locomo");
        Path jar = Path.of(System.getProperty("memos.app.dir", "memos-api/target/quarkus-app"), "quarkus-run.jar").toAbsolutePath();
        try (ServiceProcess service = new ServiceProcess(jar, data, Map.of())) {
            // Heat is off: otherwise the evaluation's own earlier queries would boost later answers.
            // Further arguments go to the service's JVM (and win), e.g. -Dmemos.search.ranking.rrf-k=60.
            List<String> jvm = new ArrayList<>(List.of("-Dmemos.search.ranking.heat-weight=0"));
            jvm.addAll(Arrays.asList(args).subList(Math.min(1, args.length), args.length));
            service.start(jvm);
            String base = service.baseUri();
            String key = Files.readString(data.resolve("admin.key")).strip();
            List<Question> questions = new ArrayList<>();
            long t0 = System.nanoTime();
            int turns = 0;
            for (LocomoData.Conversation conversation : locomo.conversations()) {
                String space = space(conversation);
                post(base, key, "/v1/spaces", Map.of("name", space));
                for (LocomoData.Turn turn : conversation.turns()) {
                    Map<String, Object> cube = new LinkedHashMap<>();
                    cube.put("text", turn.text());
                    cube.put("kind", "message");
                    cube.put("source", "conversation");
                    cube.put("sourceRef", turn.dia());
                    cube.put("sessionId", space + "-s" + turn.session());
                    // as Kafka ingestion does: each conversation fact is about its speaker (docs/ingest.md)
                    cube.put("subject", turn.speaker());
                    cube.put("validFrom", turn.when().toString());
                    cube.put("idempotencyKey", turn.dia());
                    post(base, key, "/v1/spaces/" + space + "/cubes", cube);
                    turns++;
                }
                java.time.Instant now = conversation.turns().getLast().when();
                conversation.questions().forEach(q -> questions.add(new Question(space, q.text(), q.evidence(), q.category(),
                        now)));
            }
            int malformed = locomo.skippedEvidence();
            double ingestSeconds = (System.nanoTime() - t0) / 1e9;
            // Wait for the index: one read-your-writes query per space.
            long w0 = System.nanoTime();
            for (LocomoData.Conversation conversation : locomo.conversations()) {
                post(base, key, "/v1/spaces/" + space(conversation) + "/search",
                        Map.of("query", "warm up", "consistency", "read-your-writes"));
            }
            double indexWait = (System.nanoTime() - w0) / 1e9;
            System.out.printf("ingested %d turns in %.1f s over HTTP (%.0f/s); index caught up %.1f s later; %d questions, %d evidence ids skipped%n",
                    turns, ingestSeconds, turns / ingestSeconds, indexWait, questions.size(), malformed);
            // Then for the windows' own embeddings, which the service computes when idle (0 when they are off).
            long e0 = System.nanoTime();
            long pending;
            do {
                pending = 0;
                for (LocomoData.Conversation conversation : locomo.conversations()) {
                    pending += get(base, key, "/v1/spaces/" + space(conversation) + "/search/lag").get("pendingWindows").asLong();
                }
                if (pending > 0) {
                    System.out.printf("  %d context windows still to embed%n", pending);
                    Thread.sleep(5_000);
                }
            } while (pending > 0 && System.nanoTime() - e0 < java.util.concurrent.TimeUnit.MINUTES.toNanos(30));
            System.out.printf("context windows embedded %.1f s after the index caught up (%d left)%n",
                    (System.nanoTime() - e0) / 1e9, pending);

            for (String mode : MODES) {
                Map<Integer, double[]> byCategory = new TreeMap<>();
                Map<Integer, Integer> counts = new HashMap<>();
                long[] latency = new long[questions.size()];
                for (int i = 0; i < questions.size(); i++) {
                    Question q = questions.get(i);
                    long s = System.nanoTime();
                    JsonNode hits = post(base, key, "/v1/spaces/" + q.space() + "/search",
                            Map.of("query", q.text(), "k", 20, "mode", mode, "timeReference", q.now().toString()))
                            .get("hits");
                    latency[i] = System.nanoTime() - s;
                    List<String> refs = new ArrayList<>();
                    hits.forEach(h -> refs.add(h.at("/cube/provenance/sourceRef").asText()));
                    double[] recall = byCategory.computeIfAbsent(q.category(), c -> new double[KS.length]);
                    counts.merge(q.category(), 1, Integer::sum);
                    for (int k = 0; k < KS.length; k++) {
                        Set<String> top = new HashSet<>(refs.subList(0, Math.min(KS[k], refs.size())));
                        long found = q.evidence().stream().filter(top::contains).count();
                        recall[k] += (double) found / q.evidence().size();
                    }
                }
                Arrays.sort(latency);
                System.out.printf("%nmode %-8s  latency mean %.1f ms, p95 %.1f ms%n", mode,
                        Arrays.stream(latency).average().orElse(0) / 1e6, latency[(int) (0.95 * (latency.length - 1))] / 1e6);
                System.out.println("  category          n    R@1    R@5   R@10   R@20");
                double[] overall = new double[KS.length];
                int total = 0;
                for (var entry : byCategory.entrySet()) {
                    int n = counts.get(entry.getKey());
                    total += n;
                    StringBuilder row = new StringBuilder(String.format("  %-14s %4d", name(entry.getKey()), n));
                    for (int k = 0; k < KS.length; k++) {
                        overall[k] += entry.getValue()[k];
                        row.append(String.format("  %.3f", entry.getValue()[k] / n));
                    }
                    System.out.println(row);
                }
                StringBuilder row = new StringBuilder(String.format("  %-14s %4d", "overall", total));
                for (int k = 0; k < KS.length; k++) {
                    row.append(String.format("  %.3f", overall[k] / total));
                }
                System.out.println(row);
            }
        }
    }

    private static String space(LocomoData.Conversation conversation) {
        return "locomo-" + conversation.id().toLowerCase(Locale.ROOT);
    }

    private static String name(int category) {
        return switch (category) {
            case 1 -> "1 multi-hop";
            case 2 -> "2 temporal";
            case 3 -> "3 open-domain";
            default -> "4 single-hop";
        };
    }

    private static JsonNode get(String base, String key, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + key)
                .GET().build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException("GET " + path + " → " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static JsonNode post(String base, String key, String path, Object body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException("POST " + path + " → " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
