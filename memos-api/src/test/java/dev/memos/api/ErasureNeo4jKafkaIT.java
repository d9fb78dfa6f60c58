package dev.memos.api;

import dev.memos.testkit.Scratch;
import org.awaitility.Awaitility;
import dev.memos.testkit.ServiceProcess;
import dev.memos.testkit.servers.KafkaBroker;
import dev.memos.testkit.servers.Neo4jServer;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.memos.api.Services.as;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Erasure on the packaged service with its lineage in a real Neo4j server and its events on a real Kafka broker,
 * each with a data directory of its own: after a cube (with what derives from it) and a data subject are erased
 * and their reports VERIFIED, no file of memos, of Neo4j or of the broker's topics holds the erased text, the
 * subject or a label.
 */
class ErasureNeo4jKafkaIT {
    private static final String ADMIN = "erasure-neo4j-kafka-admin-key-0123456789";

    @Test
    void erased_content_leaves_memos_neo4j_and_the_event_topics() throws Exception {
        Path neo4jHome = Scratch.directory("memos-erasure-neo4j");
        Path kafkaDir = Scratch.directory("memos-erasure-kafka");
        Path dataDir = Scratch.directory("memos-erasure-nk");
        try (Neo4jServer neo4j = Neo4jServer.start(neo4jHome);
             KafkaBroker broker = KafkaBroker.start(kafkaDir);
             ServiceProcess service = new ServiceProcess(ServiceProcess.packagedJar(), dataDir,
                     Map.of("MEMOS_ADMIN_KEY", ADMIN))) {
            service.start(List.of("-Dmemos.lineage.kind=neo4j", "-Dmemos.lineage.neo4j.uri=" + neo4j.boltUri(),
                    "-Dmemos.bus.kind=kafka", "-Dmemos.kafka.bootstrap-servers=" + broker.bootstrapServers()));
            as(service, ADMIN).body(Map.of("name", "nk")).post("/v1/spaces").then().statusCode(201);
            String secret = as(service, ADMIN).body(Map.of("text", "Oskar hid the Plovendrustic key in the shed",
                            "subject", "Oskar Vantrellium", "sensitivity", List.of("label-Quarbentoxil"),
                            "sessionId", "session-Zelmorvatic"))
                    .post("/v1/spaces/nk/cubes").then().statusCode(201).extract().path("id");
            String derived = as(service, ADMIN).body(Map.of("text", "Summary: the Plovendrustic key is in the shed",
                    "derivedFrom", List.of(secret))).post("/v1/spaces/nk/cubes").then().statusCode(201).extract().path("id");
            String other = as(service, ADMIN).body(Map.of("text", "Oskar collects Grendaltiverous stamps",
                    "subject", "Oskar Vantrellium")).post("/v1/spaces/nk/cubes").then().statusCode(201).extract().path("id");
            as(service, ADMIN).body(Map.of("query", "Grendaltiverous", "consistency", "read-your-writes"))
                    .post("/v1/spaces/nk/search").then().statusCode(200).body("hits.cube.id", hasItem(other));
            Services.awaitEdge(service, ADMIN, derived, "DERIVED_FROM", 30);
            assertFalse(DiskScan.occurrences(dataDir, "Plovendrustic").isEmpty(), "the probe must see the text first");

            JsonPath cube = as(service, ADMIN).queryParam("cascade", true).delete("/v1/cubes/" + secret).then()
                    .statusCode(202).extract().jsonPath();
            assertEquals(List.of(secret, derived), cube.getList("cubes"));
            JsonPath subject = as(service, ADMIN).delete("/v1/subjects/Oskar Vantrellium").then().statusCode(202)
                    .extract().jsonPath();
            assertEquals(List.of(other), subject.getList("erasures[0].cubes"));
            for (String id : List.of(cube.getString("id"), subject.getString("erasures[0].id"))) {
                JsonPath report = await(service, id);
                assertEquals("VERIFIED", report.getString("status"), report.prettify());
                assertTrue(report.getList("checks.place").contains("lineage"), report.prettify());
            }

            for (String token : List.of("Plovendrustic", "Grendaltiverous", "Vantrellium", "Quarbentoxil", "Zelmorvatic")) {
                for (Path root : List.of(dataDir, neo4jHome, kafkaDir)) {
                    assertEquals(List.of(), DiskScan.occurrences(root, token), token + " is still under " + root);
                    assertEquals(List.of(), DiskScan.occurrences(root, token.toLowerCase(Locale.ROOT)),
                            token + " (as indexed) is still under " + root);
                }
            }
            // the structure stays: the derived cube's version node still hangs off the erased one, content-free
            Services.awaitEdge(service, ADMIN, derived, "DERIVED_FROM", 30);
        }
    }

    private static JsonPath await(ServiceProcess service, String erasure) throws InterruptedException {
        return Awaitility.await("erasure " + erasure + " reported").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> as(service, ADMIN).get("/v1/erasures/" + erasure).then().statusCode(200).extract().jsonPath(),
                        report -> !"PENDING".equals(report.getString("status")));
    }
}
