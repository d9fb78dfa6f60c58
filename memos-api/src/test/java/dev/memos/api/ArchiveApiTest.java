package dev.memos.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.memos.api.Api.as;
import static dev.memos.api.Api.problem;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Export and import through the API: every version out, every version back in, bad archives refused. */
@QuarkusTest
class ArchiveApiTest {

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> versionsWithId(List<Map<String, Object>> versions, String id) {
        List<Map<String, Object>> copy = new ArrayList<>();
        for (Map<String, Object> v : versions) {
            Map<String, Object> c = new HashMap<>(v);
            c.put("id", id);
            copy.add(c);
        }
        return copy;
    }

    @Test
    void an_exported_cube_imports_with_its_history_and_bad_imports_change_nothing() {
        String[] owner = Api.principal("archive-owner");
        String[] writer = Api.principal("archive-writer");
        String space = Api.space(owner[1]);
        String target = Api.space(owner[1]);
        as(owner[1]).body(Map.of("role", "write")).put("/v1/spaces/" + target + "/grants/" + writer[0]).then().statusCode(200);
        String id = Api.cube(owner[1], space, "Carol plays the cello");
        as(owner[1]).header("If-Match", "\"1\"").body(Map.of("text", "Carol plays the viola")).patch("/v1/cubes/" + id)
                .then().statusCode(200);
        for (int i = 0; i < 3; i++) {
            Api.cube(owner[1], space, "note " + i);
        }

        JsonPath page = as(owner[1]).queryParam("limit", 2).get("/v1/spaces/" + space + "/export").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(2, page.getList("items").size());
        assertEquals(id, page.getString("items[0].id"));
        assertEquals(List.of(1, 2), page.getList("items[0].versions.version", Integer.class));
        assertEquals("Carol plays the cello", page.getString("items[0].versions[0].text"));
        JsonPath rest = as(owner[1]).queryParam("cursor", page.getString("nextCursor")).get("/v1/spaces/" + space + "/export")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(2, rest.getList("items").size());

        List<Map<String, Object>> versions = page.getList("items[0].versions");
        // the same cube again in its own space: already there, nothing changes
        as(owner[1]).body(Map.of("versions", versions)).post("/v1/spaces/" + space + "/import").then().statusCode(200)
                .body("imported", equalTo(false));
        // its id taken in another space: a copy under a new id, found again when the import is run again
        String copies = Api.space(owner[1]);
        String copyId = as(owner[1]).body(Map.of("versions", versions)).post("/v1/spaces/" + copies + "/import").then()
                .statusCode(201).body("archivedId", equalTo(id)).body("imported", equalTo(true)).extract().path("id");
        org.junit.jupiter.api.Assertions.assertNotEquals(id, copyId);
        as(owner[1]).body(Map.of("versions", versions)).post("/v1/spaces/" + copies + "/import").then().statusCode(200)
                .body("id", equalTo(copyId)).body("imported", equalTo(false));
        problem(as(owner[1]).body(Map.of("versions", versions.subList(0, 1))).post("/v1/spaces/" + copies + "/import")
                .then(), 409, "conflict");
        as(owner[1]).get("/v1/cubes/" + id).then().statusCode(200).body("space", equalTo(space));

        String fresh = UUID.randomUUID().toString();
        List<Map<String, Object>> copy = versionsWithId(versions, fresh);
        problem(as(writer[1]).body(Map.of("versions", copy)).post("/v1/spaces/" + target + "/import").then(), 403, "forbidden");
        problem(as(owner[1]).body(Map.of("versions", List.of(copy.get(1)))).post("/v1/spaces/" + target + "/import").then(),
                400, "invalid").body("detail", containsString("1 … n"));
        Map<String, Object> noText = new HashMap<>(copy.getFirst());
        noText.remove("text");
        problem(as(owner[1]).body(Map.of("versions", List.of(noText))).post("/v1/spaces/" + target + "/import").then(),
                400, "invalid");
        Map<String, Object> noTime = new HashMap<>(copy.getFirst());
        noTime.remove("time");
        problem(as(owner[1]).body(Map.of("versions", List.of(noTime))).post("/v1/spaces/" + target + "/import").then(),
                400, "invalid").body("detail", containsString("time"));
        Map<String, Object> unknown = new HashMap<>(copy.getFirst());
        unknown.put("evil", "'; drop table cube; --");
        problem(as(owner[1]).body(Map.of("versions", List.of(unknown))).post("/v1/spaces/" + target + "/import").then(),
                400, "unknown-field");
        problem(as(owner[1]).body("{\"versions\": [").post("/v1/spaces/" + target + "/import").then(), 400, "invalid-json");
        as(owner[1]).get("/v1/cubes/" + fresh).then().statusCode(404);

        as(owner[1]).body(Map.of("versions", copy)).post("/v1/spaces/" + target + "/import").then().statusCode(201)
                .body("id", equalTo(fresh)).body("version", equalTo(2)).body("imported", equalTo(true));
        JsonPath history = as(owner[1]).get("/v1/cubes/" + fresh + "/versions").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("Carol plays the cello", "Carol plays the viola"), history.getList("items.text"));
        assertEquals(page.getList("items[0].versions.time"), history.getList("items.time"));
        assertEquals(page.getList("items[0].versions.provenance"), history.getList("items.provenance"));
        assertEquals(List.of(target, target), history.getList("items.space"));

        // the imported history is searchable and has its lineage
        as(owner[1]).body(Map.of("query", "viola", "consistency", "read-your-writes"))
                .post("/v1/spaces/" + target + "/search").then().statusCode(200).body("hits[0].cube.id", equalTo(fresh));
        problem(as(writer[1]).get("/v1/spaces/" + space + "/export").then(), 404, "not-found");
        problem(as(owner[1]).queryParam("cursor", "x' or 1=1").get("/v1/spaces/" + space + "/export").then(), 400, "invalid");
    }
}
