package dev.memos.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.memos.api.Api.as;
import static dev.memos.api.Api.problem;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Issue 14's leaks: a source the reader cannot read is never named in a cube view (it was, in every view but
 * lineage), and an import cannot link another tenant's cube (it could).
 */
@QuarkusTest
class Issue14LeakTest {

    @Test
    void unreadable_sources_are_redacted_in_every_cube_view() {
        String[] owner = Api.principal("leak-owner");
        String[] reader = Api.principal("leak-reader");
        String secretSpace = Api.space(owner[1]);
        String shared = Api.space(owner[1]);
        as(owner[1]).body(Map.of("role", "read")).put("/v1/spaces/" + shared + "/grants/" + reader[0]).then().statusCode(200);
        String secret = Api.cube(owner[1], secretSpace, "the launch code is kept in the blue binder");
        String visible = Api.cube(owner[1], shared, "the shared plan");
        String derived = as(owner[1]).body(Map.of("text", "a summary of the plan", "derivedFrom", List.of(secret, visible)))
                .post("/v1/spaces/" + shared + "/cubes").then().statusCode(201).extract().path("id");

        List<String> expected = List.of("redacted-1", visible);
        assertEquals(expected, as(reader[1]).get("/v1/cubes/" + derived).then().statusCode(200).extract().jsonPath()
                .getList("provenance.derivedFrom"));
        assertEquals(expected, as(reader[1]).get("/v1/cubes/" + derived + "/versions/1").then().statusCode(200)
                .extract().jsonPath().getList("provenance.derivedFrom"));
        assertEquals(expected, as(reader[1]).get("/v1/cubes/" + derived + "/versions").then().statusCode(200)
                .extract().jsonPath().getList("items[0].provenance.derivedFrom"));
        JsonPath list = as(reader[1]).get("/v1/spaces/" + shared + "/cubes").then().statusCode(200).extract().jsonPath();
        assertEquals(expected, list.getList("items.find { it.id == '" + derived + "' }.provenance.derivedFrom"));
        JsonPath export = as(reader[1]).get("/v1/spaces/" + shared + "/export").then().statusCode(200).extract().jsonPath();
        assertEquals(expected, export.getList("items.find { it.id == '" + derived + "' }.versions[0].provenance.derivedFrom"));
        for (String path : List.of("/v1/spaces/" + shared + "/search", "/v1/search")) {
            String hits = as(reader[1]).body(Map.of("query", "summary of the plan", "consistency", "read-your-writes"))
                    .post(path).then().statusCode(200).extract().asString();
            assertFalse(hits.contains(secret), path + " names the unreadable source: " + hits);
        }
        // the owner, who may read both, sees both
        assertEquals(List.of(secret, visible), as(owner[1]).get("/v1/cubes/" + derived).then().extract().jsonPath()
                .getList("provenance.derivedFrom"));
    }

    @Test
    void an_import_cannot_link_a_cube_the_importer_cannot_read_and_a_redacted_source_is_not_linked() {
        String[] victim = Api.principal("leak-victim");
        String[] importer = Api.principal("leak-importer");
        String theirs = Api.cube(victim[1], Api.space(victim[1]), "a private note");
        String space = Api.space(importer[1]);
        String mine = Api.cube(importer[1], space, "my own note");
        Map<String, Object> version = new HashMap<>(as(importer[1]).get("/v1/cubes/" + mine + "/versions/1").then()
                .extract().jsonPath().getMap(""));
        version.remove("usage");
        String fresh = UUID.randomUUID().toString();
        version.put("id", fresh);
        Map<String, Object> provenance = new HashMap<>((Map<String, Object>) version.get("provenance"));
        provenance.put("derivedFrom", List.of(theirs));
        version.put("provenance", provenance);
        problem(as(importer[1]).body(Map.of("versions", List.of(version))).post("/v1/spaces/" + space + "/import").then(),
                400, "invalid").body("detail", containsString("that you may read"));
        as(importer[1]).get("/v1/cubes/" + fresh).then().statusCode(404);
        // the same answer for an id that exists nowhere
        provenance.put("derivedFrom", List.of(UUID.randomUUID().toString()));
        problem(as(importer[1]).body(Map.of("versions", List.of(version))).post("/v1/spaces/" + space + "/import").then(),
                400, "invalid").body("detail", containsString("that you may read"));
        // a source an export showed redacted is dropped, not refused
        provenance.put("derivedFrom", List.of("redacted-1", mine));
        as(importer[1]).body(Map.of("versions", List.of(version))).post("/v1/spaces/" + space + "/import").then()
                .statusCode(201);
        assertEquals(List.of(mine), as(importer[1]).get("/v1/cubes/" + fresh).then().extract().jsonPath()
                .getList("provenance.derivedFrom"));
    }

    @Test
    void the_idempotency_key_of_a_deleted_cube_is_a_conflict_not_a_silent_replay() {
        String[] owner = Api.principal("leak-idempotent");
        String space = Api.space(owner[1]);
        String id = as(owner[1]).body(Map.of("text", "first text", "idempotencyKey", "k-1")).post("/v1/spaces/" + space
                + "/cubes").then().statusCode(201).extract().path("id");
        as(owner[1]).body(Map.of("text", "first text", "idempotencyKey", "k-1")).post("/v1/spaces/" + space + "/cubes")
                .then().statusCode(200).body("id", org.hamcrest.Matchers.equalTo(id));
        as(owner[1]).delete("/v1/cubes/" + id).then().statusCode(202);
        problem(as(owner[1]).body(Map.of("text", "new text", "idempotencyKey", "k-1")).post("/v1/spaces/" + space
                + "/cubes").then(), 409, "conflict").body("detail", containsString("deleted"));
        as(owner[1]).body(Map.of("text", "new text", "idempotencyKey", "k-2")).post("/v1/spaces/" + space + "/cubes")
                .then().statusCode(201);
    }
}
