package dev.memos.api;

import org.awaitility.Awaitility;
import dev.memos.testkit.ServiceProcess;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.memos.api.Services.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Erasure on the packaged service as a user runs it: after a delete and its report, no file under the
 * scanned directories ({@link #scanned}) holds any byte of the erased text, of a cube derived from it, or of
 * what its tombstone used to keep (session, source reference, idempotency key, labels). Run on the embedded
 * database ({@link ErasureIT}) and on PostgreSQL ({@link PostgresErasureIT}).
 */
abstract class ErasureScenarios {
    protected static ServiceProcess service;
    protected static String admin;

    /** Starts the service on {@code dataDir} with the given environment and reads its admin key. */
    protected static void start(Path jar, Path dataDir, Map<String, String> environment) throws Exception {
        service = new ServiceProcess(jar, dataDir, environment).start();
        admin = Files.readString(dataDir.resolve("admin.key")).strip();
    }

    @AfterAll
    static void stopService() throws InterruptedException {
        if (service != null) {
            service.close();
            service = null;
        }
    }

    /** The directories whose files must not keep an erased byte: memos' data directory and the database's. */
    protected abstract List<Path> scanned();

    /** Where the database keeps its files: a probe must see the content there first, or it proves nothing. */
    protected abstract Path databaseFiles();

    /** Makes the database write what it holds in memory to its files before they are scanned. */
    protected void flush() throws Exception {
    }

    @Test
    void an_erased_cube_and_what_derives_from_it_leave_every_file() throws Exception {
        as(service, admin).body(Map.of("name", "erase-cube")).post("/v1/spaces").then().statusCode(201);
        fill("erase-cube", 80);
        String id = as(service, admin).body(Map.of("text", "Dana said her locker code is Qzvorpexlintal and she"
                        + " keeps a spare key under the mat", "sessionId", "session-Wqyxtrombulant",
                        "sourceRef", "ref-Jkvoomastrel", "idempotencyKey", "key-Pxleverudant",
                        "sensitivity", List.of("label-Zubrikostan")))
                .post("/v1/spaces/erase-cube/cubes").then().statusCode(201).extract().path("id");
        as(service, admin).header("If-Match", "\"1\"").body(Map.of("text", "Dana changed her locker code to"
                + " Vexmorquillant last week")).patch("/v1/cubes/" + id).then().statusCode(200);
        String derived = as(service, admin).body(Map.of("text", "A summary: Dana's locker code was Qzvorpexlintal",
                "derivedFrom", List.of(id))).post("/v1/spaces/erase-cube/cubes").then().statusCode(201).extract().path("id");
        fill("erase-cube", 40);
        as(service, admin).body(Map.of("query", "Vexmorquillant", "consistency", "read-your-writes"))
                .post("/v1/spaces/erase-cube/search").then().statusCode(200)
                .body("hits.cube.id", hasItem(id));
        assertDatabaseHolds("Qzvorpexlintal", "Jkvoomastrel", "Pxleverudant", "Zubrikostan");

        var deleted = as(service, admin).queryParam("cascade", true).queryParam("reason", "asked to forget")
                .delete("/v1/cubes/" + id).then().statusCode(202).extract();
        JsonPath erasure = deleted.jsonPath();
        assertTrue(deleted.header("Location").endsWith("/v1/erasures/" + erasure.getString("id")));
        assertEquals(List.of(id, derived), erasure.getList("cubes"));
        JsonPath report = awaitReport(erasure.getString("id"));
        assertEquals("VERIFIED", report.getString("status"), report.prettify());
        assertEquals(List.of("database", "search-index", "lineage", "working-set", "files"),
                report.getList("checks.place"));

        for (String token : List.of("Qzvorpexlintal", "Vexmorquillant", "Wqyxtrombulant", "Jkvoomastrel",
                "Pxleverudant", "Zubrikostan")) {
            assertEquals(List.of(), occurrences(token), token + " is still on disk");
            assertEquals(List.of(), occurrences(token.toLowerCase(Locale.ROOT)), token + " (as indexed) is still on disk");
        }
        as(service, admin).get("/v1/cubes/" + derived).then().statusCode(200).body("state", equalTo("DELETED"))
                .body("text", equalTo(null));
        as(service, admin).body(Map.of("text", "written again", "idempotencyKey", "key-Pxleverudant"))
                .post("/v1/spaces/erase-cube/cubes").then().statusCode(409);
    }

    @Test
    void an_erased_turn_leaves_the_context_windows_of_its_neighbours() throws Exception {
        as(service, admin).body(Map.of("name", "erase-turn")).post("/v1/spaces").then().statusCode(201);
        List<String> ids = new ArrayList<>();
        for (String text : List.of("Tell me the phrase", "The vault phrase is Grimbolazerine, keep it", "Understood")) {
            ids.add(as(service, admin).body(Map.of("text", text, "kind", "message", "sessionId", "talk-1"))
                    .post("/v1/spaces/erase-turn/cubes").then().statusCode(201).extract().path("id"));
        }
        fill("erase-turn", 20);
        // the turns around it are found by its word through their windows
        as(service, admin).body(Map.of("query", "Grimbolazerine", "mode", "keyword", "consistency", "read-your-writes"))
                .post("/v1/spaces/erase-turn/search").then().statusCode(200)
                .body("hits.cube.id", org.hamcrest.Matchers.hasItems(ids.get(0), ids.get(2)));
        assertDatabaseHolds("Grimbolazerine");
        String erasure = as(service, admin).delete("/v1/cubes/" + ids.get(1)).then().statusCode(202).extract().path("id");
        JsonPath report = awaitReport(erasure);
        assertEquals("VERIFIED", report.getString("status"), report.prettify());
        assertEquals(List.of(), occurrences("Grimbolazerine"));
        assertEquals(List.of(), occurrences("grimbolazerin"));
        as(service, admin).body(Map.of("query", "Grimbolazerine", "mode", "keyword")).post("/v1/spaces/erase-turn/search")
                .then().statusCode(200).body("hits", org.hamcrest.Matchers.empty());
    }

    @Test
    void an_erased_space_leaves_every_file() throws Exception {
        as(service, admin).body(Map.of("name", "erase-space")).post("/v1/spaces").then().statusCode(201);
        fill("erase-space", 30);
        for (int i = 0; i < 5; i++) {
            as(service, admin).body(Map.of("text", "Entry " + i + " of the Ombrulaxitheme diary, kept private"))
                    .post("/v1/spaces/erase-space/cubes").then().statusCode(201);
        }
        as(service, admin).body(Map.of("query", "Ombrulaxitheme", "consistency", "read-your-writes"))
                .post("/v1/spaces/erase-space/search").then().statusCode(200)
                .body("hits[0].cube.text", org.hamcrest.Matchers.containsString("Ombrulaxitheme"));
        assertDatabaseHolds("Ombrulaxitheme");
        String erasure = as(service, admin).queryParam("force", true).delete("/v1/spaces/erase-space").then()
                .statusCode(202).body("scope", equalTo("SPACE")).body("cubeCount", equalTo(35)).extract().path("id");
        JsonPath report = awaitReport(erasure);
        assertEquals("VERIFIED", report.getString("status"), report.prettify());
        assertEquals(List.of(), occurrences("Ombrulaxitheme"));
        assertEquals(List.of(), occurrences("ombrulaxithem"));
    }

    @Test
    void everything_about_an_erased_subject_leaves_every_file_in_every_space() throws Exception {
        String subject = "Hqorvantelix Moor";
        List<String> ids = new ArrayList<>();
        for (String space : List.of("subject-a", "subject-b")) {
            as(service, admin).body(Map.of("name", space)).post("/v1/spaces").then().statusCode(201);
            fill(space, 20);
            ids.add(as(service, admin).body(Map.of("text", "Hqorvantelix keeps the Brumvexillatory ledger in " + space,
                    "subject", subject)).post("/v1/spaces/" + space + "/cubes").then().statusCode(201).extract().path("id"));
        }
        String derived = as(service, admin).body(Map.of("text", "From the ledger: Brumvexillatory totals",
                "derivedFrom", List.of(ids.getFirst()))).post("/v1/spaces/subject-a/cubes").then().statusCode(201)
                .extract().path("id");
        as(service, admin).body(Map.of("replace", "ledger", "with", "Brumvexillatory journal"))
                .post("/v1/subjects/" + subject + "/rectify").then().statusCode(200);
        as(service, admin).get("/v1/subjects/" + subject + "/export").then().statusCode(200);
        as(service, admin).body(Map.of("query", "Brumvexillatory", "consistency", "read-your-writes"))
                .post("/v1/search").then().statusCode(200).body("hits.cube.id", hasItem(ids.getLast()));
        assertDatabaseHolds("Brumvexillatory", subject);

        JsonPath erased = as(service, admin).queryParam("cascade", true).delete("/v1/subjects/" + subject).then()
                .statusCode(202).extract().jsonPath();
        assertEquals(List.of("subject-a", "subject-b"), erased.getList("erasures.space"));
        for (String id : erased.getList("erasures.id", String.class)) {
            JsonPath report = awaitReport(id);
            assertEquals("VERIFIED", report.getString("status"), report.prettify());
        }
        assertTrue(erased.getList("erasures[0].cubes").contains(derived), "cascade reached the derived cube");
        for (String token : List.of("Brumvexillatory", "brumvexillatori", "Hqorvantelix", "hqorvantelix")) {
            assertEquals(List.of(), occurrences(token), token + " is still on disk");
        }
    }

    private static void fill(String space, int n) {
        for (int i = 0; i < n; i++) {
            as(service, admin).body(Map.of("text", "Filler note " + i + " about the garden, the weather and tea"))
                    .post("/v1/spaces/" + space + "/cubes").then().statusCode(201);
        }
    }

    private static JsonPath awaitReport(String erasure) throws InterruptedException {
        return Awaitility.await("erasure " + erasure + " reported").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> as(service, admin).get("/v1/erasures/" + erasure).then().statusCode(200).extract().jsonPath(),
                        report -> !"PENDING".equals(report.getString("status")));
    }

    private void assertDatabaseHolds(String... tokens) throws Exception {
        flush();
        for (String token : tokens) {
            assertTrue(!DiskScan.occurrences(databaseFiles(), token).isEmpty(),
                    token + " is not in the database's files before the erasure: the probe would prove nothing");
        }
    }

    /** The files under the scanned directories holding the token, as grep would find them. */
    private List<Path> occurrences(String token) throws Exception {
        flush();
        List<Path> found = new ArrayList<>();
        for (Path root : scanned()) {
            found.addAll(DiskScan.occurrences(root, token));
        }
        return found;
    }
}
