package dev.memos.api;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.memos.api.Api.ADMIN_KEY;
import static dev.memos.api.Api.as;
import static dev.memos.api.Api.problem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/** Principals, spaces and grants. */
@QuarkusTest
class SpaceApiTest {

    @Test
    void only_an_administrator_creates_principals_and_the_key_works_at_once() {
        var created = as(ADMIN_KEY).body(Map.of("name", "agent-007", "kind", "agent"))
                .post("/v1/principals").then().statusCode(201)
                .body("apiKey", startsWith("memos_")).body("kind", equalTo("AGENT")).body("admin", equalTo(false))
                .extract().jsonPath();
        String key = created.getString("apiKey");
        as(key).get("/v1/principals/me").then().statusCode(200)
                .body("id", equalTo(created.getString("id"))).body("name", equalTo("agent-007"));
        problem(as(key).body(Map.of("name", "mallory")).post("/v1/principals").then(), 403, "forbidden");
        problem(as(ADMIN_KEY).body(Map.of("kind", "agent")).post("/v1/principals").then(), 400, "invalid")
                .body("field", equalTo("name"));
        problem(as(ADMIN_KEY).body(Map.of("name", "x", "kind", "robot")).post("/v1/principals").then(), 400, "invalid-json")
                .body("field", equalTo("kind"));
    }

    @Test
    void create_list_get_and_delete_a_space() {
        String key = Api.principal("owner")[1];
        as(key).body(Map.of("name", "team-notes", "description", "shared"))
                .post("/v1/spaces").then().statusCode(201)
                .header("Location", notNullValue())
                .body("name", equalTo("team-notes")).body("role", equalTo("ADMIN"));
        problem(as(key).body(Map.of("name", "team-notes")).post("/v1/spaces").then(), 409, "conflict");
        problem(as(key).body(Map.of("name", "Team Notes!")).post("/v1/spaces").then(), 400, "invalid");
        problem(as(key).body(Map.of("description", "no name")).post("/v1/spaces").then(), 400, "invalid")
                .body("field", equalTo("name"));
        as(key).get("/v1/spaces").then().statusCode(200).body("items.name", hasItem("team-notes"));
        as(key).get("/v1/spaces/team-notes").then().statusCode(200).body("description", equalTo("shared"));

        String cube = Api.cube(key, "team-notes", "a note");
        problem(as(key).delete("/v1/spaces/team-notes").then(), 409, "conflict");
        as(key).queryParam("force", true).delete("/v1/spaces/team-notes").then().statusCode(202);
        problem(as(key).get("/v1/spaces/team-notes").then(), 404, "not-found");
        problem(as(key).get("/v1/cubes/" + cube).then(), 404, "not-found");
        as(key).get("/v1/spaces").then().body("items.name", not(hasItem("team-notes")));
    }

    @Test
    void grants_give_and_take_access() {
        String owner = Api.principal("owner")[1];
        String[] reader = Api.principal("reader");
        String space = Api.space(owner);
        String cube = Api.cube(owner, space, "shared fact");

        problem(as(reader[1]).get("/v1/cubes/" + cube).then(), 404, "not-found");
        as(owner).body(Map.of("role", "read")).put("/v1/spaces/" + space + "/grants/" + reader[0])
                .then().statusCode(200).body("role", equalTo("READ")).body("principal", equalTo(reader[0]));
        as(reader[1]).get("/v1/cubes/" + cube).then().statusCode(200);
        as(reader[1]).get("/v1/spaces/" + space).then().statusCode(200).body("role", equalTo("READ"));
        problem(as(reader[1]).body(Map.of("text", "x")).post("/v1/spaces/" + space + "/cubes").then(), 403, "forbidden");
        problem(as(reader[1]).get("/v1/spaces/" + space + "/grants").then(), 403, "forbidden");
        as(owner).get("/v1/spaces/" + space + "/grants").then().statusCode(200).body("items.principal", hasItem(reader[0]));

        problem(as(owner).body(Map.of("role", "owner")).put("/v1/spaces/" + space + "/grants/" + reader[0]).then(),
                400, "invalid").body("field", equalTo("role"));
        problem(as(owner).body(Map.of("role", "read")).put("/v1/spaces/" + space + "/grants/nobody").then(), 404, "not-found");
        as(owner).delete("/v1/spaces/" + space + "/grants/" + reader[0]).then().statusCode(204);
        problem(as(reader[1]).get("/v1/cubes/" + cube).then(), 404, "not-found");
        problem(as(owner).delete("/v1/spaces/" + space + "/grants/" + reader[0]).then(), 404, "not-found");
    }

    @Test
    void the_last_administrator_of_a_space_stays() {
        String[] owner = Api.principal("owner");
        String space = Api.space(owner[1]);
        problem(as(owner[1]).delete("/v1/spaces/" + space + "/grants/" + owner[0]).then(), 409, "conflict");
        problem(as(owner[1]).body(Map.of("role", "read")).put("/v1/spaces/" + space + "/grants/" + owner[0]).then(),
                409, "conflict");
    }
}
