package dev.memos.api;

import dev.memos.testkit.Scratch;
import java.time.Duration;
import org.awaitility.Awaitility;
import dev.memos.testkit.ServiceProcess;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A crash between a write's commit and its indexing heals on restart: the outbox still holds the
 * unpublished event, and the relay delivers it when the service starts again. Also: a deleted
 * index directory is rebuilt from the database at start.
 */
class IndexRecoveryIT {

    @Test
    void writes_committed_but_not_indexed_before_a_crash_become_searchable_after_restart() throws Exception {
        Path data = Scratch.directory("memos-index-recovery");
        try (ServiceProcess service = new ServiceProcess(ServiceProcess.packagedJar(), data, Map.of())) {
            // The relay polls once at start, then sleeps 10 minutes: writes stay committed but unindexed.
            service.start(List.of("-Dmemos.search.relay-idle=10m"));
            String admin = Files.readString(data.resolve("admin.key")).strip();
            as(service, admin).body(Map.of("name", "crashy")).post("/v1/spaces").then().statusCode(201);
            for (String text : List.of("Ivan keeps bees on the roof", "Judy repairs old clocks")) {
                as(service, admin).body(Map.of("text", text)).post("/v1/spaces/crashy/cubes").then().statusCode(201);
            }
            search(service, admin, "bees roof").body("hits", empty());
            service.kill();

            service.start();
            awaitHits(service, admin, "bees roof", 1);
            awaitHits(service, admin, "clocks", 1);

            service.stop();
            deleteRecursively(data.resolve("index"));
            service.start();
            awaitHits(service, admin, "clocks", 1);
        }
    }

    private static io.restassured.response.ValidatableResponse search(ServiceProcess service, String key, String query) {
        return as(service, key).body(Map.of("query", query, "mode", "keyword"))
                .post("/v1/spaces/crashy/search").then().statusCode(200);
    }

    private static void awaitHits(ServiceProcess service, String key, String query, int expected) throws InterruptedException {
        Awaitility.await(expected + " hits for '" + query + "'").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> search(service, key, query).extract().<List<?>>path("hits").size(), n -> n == expected);
        search(service, key, query).body("hits", hasSize(expected));
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static RequestSpecification as(ServiceProcess service, String key) {
        return RestAssured.given().baseUri(service.baseUri())
                .header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }
}
