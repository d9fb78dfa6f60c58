package dev.memos.testkit.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the service's metrics ({@code GET /q/metrics}, Prometheus text) for the benchmarks. */
final class Prometheus {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Prometheus() {
    }

    static String scrape(String baseUri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(baseUri + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The first sample of {@code name} (any labels), or {@code absent} when there is none. */
    static long value(String exposition, String name, long absent) {
        Matcher m = Pattern.compile("^" + name + "(\\{[^}]*})? (-?[0-9.eE+]+)$", Pattern.MULTILINE).matcher(exposition);
        return m.find() ? (long) Double.parseDouble(m.group(2)) : absent;
    }

    /** The sum of every sample of {@code name} whose labels include {@code label} (e.g. {@code area="heap"}). */
    static long sum(String exposition, String name, String label) {
        Matcher m = Pattern.compile("^" + name + "\\{([^}]*)} ([0-9.eE+]+)$", Pattern.MULTILINE).matcher(exposition);
        long sum = 0;
        while (m.find()) {
            if (m.group(1).contains(label)) {
                sum += (long) Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }
}
