package dev.memos.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A seeded fuzz of the REST API: a few thousand requests with random methods, paths, headers and bodies (valid,
 * mistyped, truncated, duplicated, deeply nested, hostile), from a principal without administrator rights. Not one
 * may answer 5xx, and every error must be a problem document. The seed is printed and fixed, so a failure repeats;
 * {@code -Dfuzz.seed=…} and {@code -Dfuzz.requests=…} run other rounds.
 */
@QuarkusTest
class FuzzApiTest {
    private static final long SEED = Long.getLong("fuzz.seed", 20261205L);
    private static final int REQUESTS = Integer.getInteger("fuzz.requests", 3_000);
    private static final String[] METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "GET", "POST", "HEAD", "OPTIONS"};
    private static final String[] FIELDS = {"text", "kind", "tags", "query", "k", "mode", "filters", "role", "name",
            "version", "validFrom", "validTo", "asOf", "consistency", "waitMs", "records", "messages", "cascade", "reason",
            "state", "purpose", "sensitivity", "subject", "sessionId", "derivedFrom", "idempotencyKey", "expiresAt",
            "priority", "explain", "time", "timeReference", "description", "to", "space", "spaces", "model", "stream",
            "maxTokens", "temperature", "labels", "clearances", "purposes", "items", "cubes", "id", "limit", "after"};
    private static final String[] HOSTILE = {"' OR 1=1 --", "\"; DROP TABLE cube; --", "MATCH (n) DETACH DELETE n",
            "<script>alert(1)</script>", "../../etc/passwd", "%00", "\u0000", "${jndi:ldap://x/a}", "{{7*7}}",
            "\uD83D\uDE00", "\uFFFF", "a\u202Eb", "*:*", "text:(a OR b)~2^9", "\\", "null", "", " ", "-1",
            "1e309", "9223372036854775808", "2026-13-45T99:99:99Z", "P-1D", "read", "admin", "READ", "eventual",
            "read-your-writes", "hybrid", "keyword", "vector", "DELETED", "COLD", "health", "marketing"};
    private static final String[] CONTENT_TYPES = {"application/json", "application/json", "application/json",
            "text/plain", "application/xml", "foo/bar", "application/json; charset=ISO-8859-1",
            "multipart/form-data", "application/x-www-form-urlencoded", "application/octet-stream", "*/*",
            "application/problem+json", "application/json; charset=nonsense"};
    private static final String[] ACCEPTS = {"*/*", "application/json", "application/xml", "text/html",
            "application/problem+json", "image/png", "text/event-stream"};

    private final Random random = new Random(SEED);

    @Test
    void no_request_gets_a_5xx_and_every_error_is_a_problem() throws Exception {
        String key = Api.principal("fuzz-" + UUID.randomUUID().toString().substring(0, 6))[1];
        String space = Api.space(key);
        List<String> cubes = new ArrayList<>(List.of(Api.cube(key, space, "Dana keeps bees on the roof"),
                Api.cube(key, space, "Eve repairs clocks"), UUID.randomUUID().toString()));
        String base = "http://127.0.0.1:" + RestAssured.port;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<String> failures = new ArrayList<>();
        java.util.Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        for (int i = 0; i < REQUESTS; i++) {
            String method = pick(METHODS);
            String path = path(space, pick(cubes));
            String body = method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")
                    ? (random.nextInt(10) == 0 ? body() : null) : body();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(60))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            int auth = random.nextInt(20);
            if (auth > 1) {
                request.header("Authorization", "Bearer " + key);
            } else if (auth == 1) {
                request.header("Authorization", pick(new String[] {"Bearer ", "Basic YTpi", "Bearer " + key + "x",
                        "bearer " + key, "Bearer " + printable(pick(HOSTILE))}));
            }
            if (body != null || random.nextBoolean()) {
                request.header("Content-Type", pick(CONTENT_TYPES));
            }
            if (random.nextInt(4) == 0) {
                request.header("Accept", pick(ACCEPTS));
            }
            if (random.nextInt(6) == 0) {
                request.header("If-Match", pick(new String[] {"\"1\"", "W/\"2\"", "*", "\"x\"", "\"99999999999\"", "1", ""}));
            }
            if (random.nextInt(8) == 0) {
                request.header("Idempotency-Key", printable(pick(HOSTILE)) + random.nextInt(9));
            }
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException e) {
                failures.add(method + " " + abbreviate(path) + ": no answer (" + e + ")");
                continue;
            }
            int status = response.statusCode();
            statuses.merge(status, 1, Integer::sum);
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (status >= 500) {
                failures.add(method + " " + abbreviate(path) + " " + abbreviate(String.valueOf(body)) + " → " + status
                        + " " + abbreviate(response.body()));
            } else if (status >= 400 && !method.equals("HEAD") && !type.startsWith("application/problem+json")) {
                failures.add(method + " " + abbreviate(path) + " → " + status + " with '" + type + "' "
                        + abbreviate(response.body()));
            }
        }
        System.out.printf("fuzz: %d requests, seed %d, answers by status %s, %d failures%n", REQUESTS, SEED, statuses,
                failures.size());
        assertTrue(statuses.keySet().stream().anyMatch(s -> s < 300), "some requests must get through: " + statuses);
        assertTrue(failures.isEmpty(), failures.size() + " bad answers (seed " + SEED + "), first ones:\n"
                + String.join("\n", failures.subList(0, Math.min(20, failures.size()))));
    }

    private String path(String space, String cube) {
        String s = random.nextInt(8) == 0 ? segment() : space;
        String c = random.nextInt(8) == 0 ? segment() : cube;
        String p = switch (random.nextInt(28)) {
            case 0 -> "/v1/spaces";
            case 1, 2 -> "/v1/spaces/" + s;
            case 3 -> "/v1/spaces/" + s + "/grants/" + (random.nextBoolean() ? UUID.randomUUID() : segment());
            case 4, 5, 6 -> "/v1/spaces/" + s + "/cubes";
            case 7, 8 -> "/v1/spaces/" + s + "/search";
            case 9 -> "/v1/spaces/" + s + "/search/lag";
            case 10 -> "/v1/search";
            case 11, 12, 13 -> "/v1/cubes/" + c;
            case 14 -> "/v1/cubes/" + c + "/versions";
            case 15 -> "/v1/cubes/" + c + "/versions/" + (random.nextInt(4) - 1);
            case 16 -> "/v1/cubes/" + c + "/lineage";
            case 17 -> "/v1/cubes/" + c + "/" + pick(new String[] {"invalidate", "rollback", "transitions",
                    "provenance", "rectify", "activation", "migrate", "release"});
            case 18 -> "/v1/ingest";
            case 19 -> "/v1/principals/me";
            case 20 -> "/v1/audit";
            case 21 -> "/v1/erasures/" + (random.nextBoolean() ? UUID.randomUUID() : segment());
            case 22 -> "/v1/spaces/" + s + "/" + pick(new String[] {"export", "import", "scheduler/log", "chat",
                    "distill", "contradictions", "adapters"});
            case 23 -> "/v1/chat/completions";
            case 24 -> "/v1/subjects/" + segment();
            case 25 -> "/v1/admin/index/" + pick(new String[] {"check", "rebuild", "optimize", "set-aside"});
            case 26 -> "/v1/" + segment();
            default -> "/" + segment() + "/" + segment();
        };
        if (random.nextInt(4) == 0) {
            p += "?" + pick(new String[] {"limit", "cursor", "k", "direction", "depth", "segments", "space", "after",
                    "asOf", "cascade", "format", "state"}) + "=" + encode(pick(HOSTILE));
        }
        return p;
    }

    private String segment() {
        return encode(switch (random.nextInt(5)) {
            case 0 -> pick(HOSTILE);
            case 1 -> "x".repeat(random.nextInt(300));
            case 2 -> UUID.randomUUID().toString().toUpperCase();
            case 3 -> "..";
            default -> Integer.toString(random.nextInt());
        });
    }

    /** What java.net.http lets into a header value. */
    private static String printable(String s) {
        return s.replaceAll("[^\\x20-\\x7e]", "");
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private String body() {
        return switch (random.nextInt(14)) {
            case 0 -> "";
            case 1 -> "{\"text\": ";
            case 2 -> "[".repeat(5_000) + "]".repeat(5_000);
            case 3 -> "{\"" + pick(FIELDS) + "\": 1, \"" + pick(FIELDS) + "\": 1, \"text\": \"a\", \"text\": \"b\"}";
            case 4 -> pick(new String[] {"null", "[]", "true", "\"text\"", "42", "{}"});
            case 5 -> new String(randomBytes(), StandardCharsets.ISO_8859_1);
            // nearly right: the fields an endpoint takes, with random values
            case 6, 7 -> "{\"text\":" + value(1, false) + (random.nextBoolean() ? "" : ",\"tags\":" + value(1, false)) + "}";
            case 8 -> "{\"query\":" + value(1, false) + ",\"k\":" + value(1, false) + "}";
            case 9 -> "{\"name\":" + value(1, false) + "}";
            default -> value(0, true);
        };
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[random.nextInt(200)];
        random.nextBytes(bytes);
        return bytes;
    }

    private String value(int depth, boolean object) {
        if (object || (depth < 4 && random.nextInt(6) == 0)) {
            StringBuilder b = new StringBuilder("{");
            int n = random.nextInt(6);
            for (int i = 0; i < n; i++) {
                b.append(i == 0 ? "" : ",").append(quote(pick(FIELDS))).append(':').append(value(depth + 1, false));
            }
            return b.append('}').toString();
        }
        return switch (random.nextInt(9)) {
            case 0 -> "null";
            case 1 -> Boolean.toString(random.nextBoolean());
            case 2 -> Long.toString(random.nextLong() >> random.nextInt(64));
            case 3 -> Double.toString(random.nextGaussian() * 1e6);
            case 4 -> {
                StringBuilder b = new StringBuilder("[");
                int n = depth < 4 ? random.nextInt(5) : 0;
                for (int i = 0; i < n; i++) {
                    b.append(i == 0 ? "" : ",").append(value(depth + 1, false));
                }
                yield b.append(']').toString();
            }
            case 5 -> quote("x".repeat(random.nextInt(3) == 0 ? 70_000 : random.nextInt(50)));
            default -> quote(pick(HOSTILE));
        };
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private <T> T pick(T[] options) {
        return options[random.nextInt(options.length)];
    }

    private <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    private static String abbreviate(String s) {
        return s.length() <= 160 ? s : s.substring(0, 160) + "…";
    }
}
