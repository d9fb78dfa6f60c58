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
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What erasure costs at N cubes: the packaged service (embedded H2, Lucene, embedded lineage) is filled with N
 * memories through HTTP ingestion, then one cube, and then ten cubes at once, are deleted; the bench prints how
 * long each erasure took to be VERIFIED and what its report says each place cost (the H2 rewrite, the index
 * rewrite, the file scan). Embeddings come from a local stand-in speaking the OpenAI protocol, so filling is
 * fast; erasure does not embed. Run with {@code ./memos bench-erasure [cubes=20000]}.
 */
public final class ErasureBench {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "bench-admin-key-0123456789abcdefghij";

    public static void main(String[] args) throws Exception {
        int cubes = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        Path data = Scratch.directory("memos-bench-erasure");
        EmbeddingStandIn embeddings = new EmbeddingStandIn("bench-fake", text -> EmbeddingStandIn.hashed(text, 384));
        Path jar = Path.of(System.getProperty("memos.app.dir", "memos-api/target/quarkus-app"), "quarkus-run.jar")
                .toAbsolutePath();
        List<String> jvm = List.of("-Dmemos.embedding.kind=openai", "-Dmemos.embedding.openai.base-url="
                + embeddings.baseUrl(), "-Dmemos.embedding.openai.model=bench-fake", "-Xmx1g");
        try (ServiceProcess service = new ServiceProcess(jar, Files.createDirectories(data.resolve("memos")),
                Map.of("MEMOS_ADMIN_KEY", ADMIN))) {
            service.start(jvm);
            String base = service.baseUri();
            send(base, "POST", "/v1/spaces", "{\"name\":\"bench\"}");
            long t0 = System.nanoTime();
            for (int from = 0; from < cubes; from += 500) {
                StringBuilder records = new StringBuilder("{\"records\":[");
                for (int i = from; i < Math.min(cubes, from + 500); i++) {
                    records.append(i == from ? "" : ",").append("{\"type\":\"memory\",\"space\":\"bench\",\"idempotencyKey\":\"m-")
                            .append(i).append("\",\"text\":\"")
                            .append("memory number ").append(i).append(" about topic ").append(i % 97)
                            .append(" kept for the erasure bench\"}");
                }
                JsonNode answer = send(base, "POST", "/v1/ingest", records.append("]}").toString());
                if (answer.path("rejected").asInt() > 0) {
                    throw new IllegalStateException("records were rejected: " + answer);
                }
                if (from % 5_000 == 0 && from > 0) {
                    System.out.printf("  %,d cubes written, %.0f s%n", from, (System.nanoTime() - t0) / 1e9);
                }
            }
            // read-your-writes: answered once the index holds every write of the caller
            send(base, "POST", "/v1/spaces/bench/search", "{\"query\":\"topic 5\",\"consistency\":\"read-your-writes\"}");
            System.out.printf("%,d cubes written and indexed in %.0f s; data directory %,d bytes%n", cubes,
                    (System.nanoTime() - t0) / 1e9, size(data.resolve("memos")));
            JsonNode page = send(base, "GET", "/v1/spaces/bench/cubes?limit=11", null);
            List<String> ids = new ArrayList<>();
            page.path("items").forEach(c -> ids.add(c.path("id").asText()));

            erase(base, ids.subList(0, 1));
            erase(base, ids.subList(1, 11));
            System.out.printf("data directory after: %,d bytes%n", size(data.resolve("memos")));
        } finally {
            embeddings.close();
        }
    }

    /** Deletes the cubes at once, waits until every erasure is no longer PENDING, prints the reports' costs. */
    private static void erase(String base, List<String> ids) throws Exception {
        long t0 = System.nanoTime();
        List<String> erasures = new ArrayList<>();
        for (String id : ids) {
            erasures.add(send(base, "DELETE", "/v1/cubes/" + id, null).path("id").asText());
        }
        JsonNode last = null;
        for (String erasure : erasures) {
            do {
                Thread.sleep(100);
                last = send(base, "GET", "/v1/erasures/" + erasure, null);
            } while ("PENDING".equals(last.path("status").asText()));
            if (!"VERIFIED".equals(last.path("status").asText())) {
                throw new IllegalStateException("erasure " + erasure + " " + last.path("status").asText() + ": " + last);
            }
        }
        System.out.printf("%d cube(s) erased: all VERIFIED %.1f s after the deletes; the last report:%n", ids.size(),
                (System.nanoTime() - t0) / 1e9);
        for (JsonNode check : last.path("checks")) {
            System.out.printf("  %-13s %s | %s%n", check.path("place").asText(), check.path("action").asText(),
                    check.path("check").asText());
        }
    }

    private static long size(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static JsonNode send(String base, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }
}
