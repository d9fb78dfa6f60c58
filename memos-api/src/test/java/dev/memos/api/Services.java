package dev.memos.api;

import org.awaitility.Awaitility;
import dev.memos.testkit.ServiceProcess;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Looking into packaged services from ITs: their cubes and their metrics. */
final class Services {
    private Services() {
    }

    /** Every live cube's text in the space; asserts no text appears twice. */
    static Set<String> allTexts(ServiceProcess service, String key, String space) {
        Set<String> texts = new HashSet<>();
        String cursor = null;
        do {
            RequestSpecification request = as(service, key).queryParam("limit", 200);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/v1/spaces/" + space + "/cubes").then().statusCode(200).extract().jsonPath();
            for (String text : page.<String>getList("items.text")) {
                assertTrue(texts.add(text), "a duplicate cube: " + text);
            }
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        return texts;
    }

    /** Waits until the metric is at least {@code target} (or, with {@code atMost}, at most). */
    static long awaitMetric(ServiceProcess service, String name, long target, boolean atMost)
            throws InterruptedException {
        Pattern line = metricLine(name);
        return Awaitility.await(name + (atMost ? " at most " : " at least ") + target).atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> metric(service, line), value -> value != null && (atMost ? value <= target : value >= target));
    }

    /**
     * Waits up to {@code seconds} until the cube's lineage view answers 200 with an edge of {@code type} (the lineage
     * recorder works behind the bus; the view may answer 503 while the lineage store is away).
     */
    static void awaitEdge(ServiceProcess service, String key, String cube, String type, int seconds)
            throws InterruptedException {
        Awaitility.await("a " + type + " edge recorded for " + cube).atMost(Duration.ofSeconds(seconds))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> as(service, key).get("/v1/cubes/" + cube + "/lineage").then().extract(),
                        answer -> answer.statusCode() == 200 && answer.asString().contains(type));
    }

    static RequestSpecification as(ServiceProcess service, String key) {
        return RestAssured.given().baseUri(service.baseUri())
                .header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    static Pattern metricLine(String name) {
        return Pattern.compile("^" + name + "(\\{[^}]*})? ([0-9.eE+]+)$", Pattern.MULTILINE);
    }

    /** The metric's value now, or null when the service does not show it (yet). */
    static Long metric(ServiceProcess service, Pattern line) {
        Matcher m = line.matcher(RestAssured.given().baseUri(service.baseUri()).get("/q/metrics").asString());
        return m.find() ? (long) Double.parseDouble(m.group(2)) : null;
    }

    static Long metric(ServiceProcess service, String name) {
        return metric(service, metricLine(name));
    }
}
