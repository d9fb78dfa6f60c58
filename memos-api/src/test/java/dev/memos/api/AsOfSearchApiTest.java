package dev.memos.api;

import java.time.Duration;
import org.awaitility.Awaitility;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.memos.api.Api.as;
import static dev.memos.api.Api.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Search as of a recorded time: what memos believed then, not what it holds now. */
@QuarkusTest
class AsOfSearchApiTest {

    private static JsonPath search(String key, String space, String query, String mode, Instant asOf) {
        Map<String, Object> body = new HashMap<>(Map.of("query", query, "mode", mode, "consistency", "read-your-writes",
                "explain", true));
        if (asOf != null) {
            body.put("asOf", asOf.toString());
        }
        return as(key).body(body).post("/v1/spaces/" + space + "/search").then().statusCode(200).extract().jsonPath();
    }

    /** An instant strictly between what was recorded before the call and what is recorded after it. */
    private static Instant pause() {
        Instant before = Instant.now();
        Instant now = Awaitility.await().pollInterval(Duration.ofMillis(1)).until(Instant::now, t -> t.isAfter(before));
        Awaitility.await().pollInterval(Duration.ofMillis(1)).until(() -> Instant.now().isAfter(now));
        return now;
    }

    @Test
    void a_search_as_of_a_time_finds_the_versions_memos_held_then() throws InterruptedException {
        String[] owner = Api.principal("asof-owner");
        String[] stranger = Api.principal("asof-stranger");
        String space = Api.space(owner[1]);
        String gus = Api.cube(owner[1], space, "Gus works at Initech as a welder");
        Api.cube(owner[1], space, "The canteen serves soup on Fridays");
        Instant before = pause();
        as(owner[1]).header("If-Match", "\"1\"").body(Map.of("text", "Gus works at Globex as a foreman"))
                .patch("/v1/cubes/" + gus).then().statusCode(200);
        String hal = Api.cube(owner[1], space, "Hal joined Initech last month");
        Instant edited = pause();
        as(owner[1]).body(Map.of("reason", "he retired")).post("/v1/cubes/" + gus + "/invalidate").then().statusCode(200);

        // now: Initech is Hal's; Gus's fact no longer holds
        assertEquals(List.of(hal), search(owner[1], space, "Initech", "keyword", null).getList("hits.cube.id"));
        assertEquals(List.of(), search(owner[1], space, "Globex", "keyword", null).getList("hits.cube.id"));

        // before the edit: Gus at Initech, version 1, and Hal not yet written
        for (String mode : List.of("keyword", "vector", "hybrid")) {
            JsonPath then = search(owner[1], space, "Gus works at Initech", mode, before);
            assertEquals(gus, then.getString("hits[0].cube.id"), mode + ": " + then.prettify());
            assertEquals(1, then.getInt("hits[0].cube.version"), mode);
            assertEquals("Gus works at Initech as a welder", then.getString("hits[0].cube.text"), mode);
            assertFalse(then.getList("hits.cube.id").contains(hal), mode + ": written later");
        }
        // after the edit, before the invalidation: Globex, still believed to hold
        JsonPath edit = search(owner[1], space, "Globex", "hybrid", edited);
        assertEquals(List.of(gus), edit.getList("hits.cube.id").subList(0, 1));
        assertEquals(2, edit.getInt("hits[0].cube.version"));
        assertTrue(search(owner[1], space, "Initech", "keyword", edited).getList("hits.cube.id").equals(List.of(hal)));

        // tenancy holds in time too; a bad time is a clear problem
        problem(as(stranger[1]).body(Map.of("query", "Initech", "asOf", before.toString()))
                .post("/v1/spaces/" + space + "/search").then(), 404, "not-found");
        assertEquals(List.of(), as(stranger[1]).body(Map.of("query", "Initech", "asOf", before.toString()))
                .post("/v1/search").then().statusCode(200).extract().jsonPath().getList("hits"));
        problem(as(owner[1]).body(Map.of("query", "Initech", "asOf", "last tuesday"))
                .post("/v1/spaces/" + space + "/search").then(), 400, "invalid-json");
    }
}
