package dev.memos.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * HTTP and JSON for the client: one request at a time, answers read into types, problem+json turned into
 * {@link MemosException}s. A request marked retryable (reads, and writes that carry an idempotency key or are
 * idempotent by nature) is sent again after a broken connection or a 503/429, with exponential backoff.
 */
final class Transport {
    static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    private static final int MAX_RETRY_AFTER_SECONDS = 10;

    private final HttpClient http;
    private final String base;
    private final String key;
    private final int retries;
    private final Duration backoff;
    private final Duration timeout;

    Transport(String base, String key, int retries, Duration backoff, Duration connectTimeout, Duration timeout) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.key = key;
        this.retries = retries;
        this.backoff = backoff;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
    }

    String base() {
        return base;
    }

    /** One request: method, path with query, body (an object for JSON, bytes, or null), headers, and its manner. */
    record Call(String method, String path, Object body, Map<String, String> headers, boolean retryable,
                Duration timeout) {
        static Call get(String path) {
            return new Call("GET", path, null, Map.of(), true, null);
        }

        /** A POST, not retried unless {@link #retrying()} says it may be. */
        static Call post(String path, Object body) {
            return new Call("POST", path, body, Map.of(), false, null);
        }

        /** A PUT: idempotent, so retried. */
        static Call put(String path, Object body) {
            return new Call("PUT", path, body, Map.of(), true, null);
        }

        /** A DELETE: idempotent, so retried. */
        static Call delete(String path) {
            return new Call("DELETE", path, null, Map.of(), true, null);
        }

        /** This call may be sent again: sending it twice does no more than once. */
        Call retrying() {
            return new Call(method, path, body, headers, true, timeout);
        }

        Call header(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Call(method, path, body, more, retryable, timeout);
        }

        Call noRetry() {
            return new Call(method, path, body, headers, false, timeout);
        }

        Call timeout(Duration timeout) {
            return new Call(method, path, body, headers, retryable, timeout);
        }
    }

    /** The status, the answer's text and its headers. */
    record Reply(int status, String body, HttpResponse<String> response) {
        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }
    }

    <T> T call(Call call, Class<T> type) {
        return read(send(call), JSON.getTypeFactory().constructType(type));
    }

    <T> T call(Call call, TypeReference<T> type) {
        return read(send(call), JSON.getTypeFactory().constructType(type));
    }

    private static <T> T read(Reply reply, com.fasterxml.jackson.databind.JavaType type) {
        try {
            return reply.body().isEmpty() ? null : JSON.readValue(reply.body(), type);
        } catch (IOException e) {
            throw new MemosException.Unreachable("the service's answer was not the expected JSON ("
                    + type.getRawClass().getSimpleName() + "): " + e.getMessage(), e);
        }
    }

    /** The answer, or a {@link MemosException.Api} for an error status. */
    Reply send(Call call) {
        Reply reply = exchange(call);
        if (reply.status() >= 400) {
            throw MemosException.Api.of(problem(reply));
        }
        return reply;
    }

    /** The answer whatever its status, after the retries a retryable call is due. */
    Reply exchange(Call call) {
        HttpRequest request = request(call);
        for (int attempt = 0; ; attempt++) {
            boolean last = !call.retryable() || attempt >= retries;
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                Reply reply = new Reply(response.statusCode(), response.body(), response);
                if (!last && (reply.status() == 503 || reply.status() == 429)) {
                    pause(attempt, reply.header("Retry-After"));
                    continue;
                }
                return reply;
            } catch (IOException e) {
                if (last) {
                    throw new MemosException.Unreachable(e instanceof ConnectException
                            ? "cannot reach memos at " + base + " (is it running?)"
                            : "talking to memos at " + base + " failed: " + e, e);
                }
                pause(attempt, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MemosException.Unreachable("interrupted while talking to memos at " + base, e);
            }
        }
    }

    private HttpRequest request(Call call) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + call.path()))
                .timeout(call.timeout() != null ? call.timeout() : timeout)
                .header("Accept", "application/json");
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        call.headers().forEach(request::header);
        if (call.body() instanceof byte[] bytes) {
            request.method(call.method(), HttpRequest.BodyPublishers.ofByteArray(bytes));
        } else if (call.body() != null) {
            try {
                request.header("Content-Type", "application/json")
                        .method(call.method(), HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(call.body())));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot write the request as JSON: " + e.getMessage(), e);
            }
        } else {
            request.method(call.method(), HttpRequest.BodyPublishers.noBody());
        }
        return request.build();
    }

    /** The problem an error answer carries, or one made from its status when it carries none. */
    private static Problem problem(Reply reply) {
        try {
            Problem p = JSON.readValue(reply.body(), Problem.class);
            if (p != null && p.status() == reply.status()) {
                return p;
            }
        } catch (IOException | RuntimeException e) {
            // not problem+json (a proxy, an empty 413): described from the status below
        }
        String text = reply.body() == null || reply.body().isBlank() ? "(no body)"
                : reply.body().substring(0, Math.min(200, reply.body().length()));
        return new Problem("about:blank", "HTTP " + reply.status(), reply.status(), text, null, null);
    }

    private void pause(int attempt, String retryAfter) {
        long millis = backoff.toMillis() << Math.min(attempt, 10);
        if (retryAfter != null && retryAfter.chars().allMatch(Character::isDigit) && !retryAfter.isEmpty()) {
            millis = Math.max(millis, Math.min(Long.parseLong(retryAfter), MAX_RETRY_AFTER_SECONDS) * 1000);
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MemosException.Unreachable("interrupted while waiting to retry", e);
        }
    }

    /** {@code ?a=1&b=2} of the non-null values, or the empty string. */
    static String query(Map<String, ?> params) {
        String q = params.entrySet().stream().filter(e -> e.getValue() != null)
                .map(e -> e.getKey() + "=" + URLEncoder.encode(String.valueOf(e.getValue()), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return q.isEmpty() ? "" : "?" + q;
    }

    /** A path segment, encoded. */
    static String segment(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a path segment must not be empty");
        }
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Query parameters in order: {@code params("a", 1, "b", null)}. */
    static Map<String, Object> params(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
