package dev.memos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/** The service's REST API as the CLI uses it; a problem response becomes a {@link CliException}. */
final class HttpApi {
    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String key;

    HttpApi(String base, String key) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.key = key;
    }

    /** The service URL this talks to. */
    String base() {
        return base;
    }

    /** The response body and its ETag. */
    record Reply(JsonNode body, String etag) {
    }

    JsonNode get(String path) {
        return send("GET", path, null, Map.of()).body();
    }

    Reply getWithEtag(String path) {
        return send("GET", path, null, Map.of());
    }

    JsonNode post(String path, Object body) {
        return send("POST", path, body, Map.of()).body();
    }

    /** A POST that may take long (a prefill, a generation on a large model): waits up to {@code timeout}. */
    JsonNode postSlow(String path, Object body, Duration timeout) {
        return send("POST", path, body, Map.of(), timeout).body();
    }

    /** A binary body (an adapter file). */
    JsonNode postBytes(String path, byte[] body, Duration timeout) {
        return send("POST", path, body, Map.of("Content-Type", "application/octet-stream"), timeout).body();
    }

    JsonNode put(String path, Object body) {
        return send("PUT", path, body, Map.of()).body();
    }

    JsonNode patch(String path, Object body, String ifMatch) {
        return send("PATCH", path, body, Map.of("If-Match", ifMatch)).body();
    }

    JsonNode delete(String path) {
        return send("DELETE", path, null, Map.of()).body();
    }

    static String query(Map<String, String> params) {
        String q = params.entrySet().stream().filter(e -> e.getValue() != null)
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return q.isEmpty() ? "" : "?" + q;
    }

    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private Reply send(String method, String path, Object body, Map<String, String> headers) {
        return send(method, path, body, headers, Duration.ofSeconds(60));
    }

    private Reply send(String method, String path, Object body, Map<String, String> headers, Duration timeout) {
        if (key == null && !path.startsWith("/q/")) {
            throw new CliException(ExitCodes.DENIED, "no API key: pass --api-key, set MEMOS_API_KEY, or write api-key= to "
                    + Connection.CONFIG);
        }
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                    .header("Accept", "application/json");
            if (key != null) {
                request.header("Authorization", "Bearer " + key);
            }
            headers.forEach(request::header);
            if (body instanceof byte[] bytes) {
                request.method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
            } else if (body != null || method.equals("POST")) {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body == null ? "" : JSON.writeValueAsString(body)));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
            if (response.statusCode() >= 400) {
                String detail = json.path("detail").asText(response.body());
                throw new CliException(ExitCodes.forStatus(response.statusCode()),
                        "HTTP " + response.statusCode() + ": " + detail);
            }
            return new Reply(json, response.headers().firstValue("ETag").orElse(null));
        } catch (ConnectException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "cannot reach memos at " + base
                    + " (is it running? start it with ./memos serve)");
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "talking to " + base + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.FAILED, "interrupted");
        }
    }
}
