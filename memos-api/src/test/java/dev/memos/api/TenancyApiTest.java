package dev.memos.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static dev.memos.api.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A principal reaches nothing of another tenant by id: every endpoint answers 404 (never the data,
 * never a 5xx), and nothing changes.
 */
@QuarkusTest
class TenancyApiTest {
    private String victim;
    private String attacker;
    private String attackerId;
    private String space;
    private String cube;

    @BeforeEach
    void setUp() {
        victim = Api.principal("victim")[1];
        String[] a = Api.principal("attacker");
        attackerId = a[0];
        attacker = a[1];
        space = Api.space(victim);
        cube = Api.cube(victim, space, "victim's private memory");
        Api.space(attacker);
    }

    @Test
    void every_endpoint_hides_another_tenants_cube_and_space() {
        Map<String, Function<String, Response>> calls = new java.util.LinkedHashMap<>();
        calls.put("GET cube", k -> as(k).get("/v1/cubes/" + cube));
        calls.put("GET versions", k -> as(k).get("/v1/cubes/" + cube + "/versions"));
        calls.put("GET version 1", k -> as(k).get("/v1/cubes/" + cube + "/versions/1"));
        calls.put("PATCH", k -> as(k).header("If-Match", "\"1\"").body(Map.of("text", "pwned")).patch("/v1/cubes/" + cube));
        calls.put("rollback", k -> as(k).body(Map.of("version", 1)).post("/v1/cubes/" + cube + "/rollback"));
        calls.put("transition", k -> as(k).body(Map.of("to", "FROZEN")).post("/v1/cubes/" + cube + "/transitions"));
        calls.put("invalidate", k -> as(k).body(Map.of()).post("/v1/cubes/" + cube + "/invalidate"));
        calls.put("DELETE cube", k -> as(k).delete("/v1/cubes/" + cube));
        calls.put("GET space", k -> as(k).get("/v1/spaces/" + space));
        calls.put("DELETE space", k -> as(k).queryParam("force", true).delete("/v1/spaces/" + space));
        calls.put("list cubes", k -> as(k).get("/v1/spaces/" + space + "/cubes"));
        calls.put("write cube", k -> as(k).body(Map.of("text", "planted")).post("/v1/spaces/" + space + "/cubes"));
        calls.put("GET grants", k -> as(k).get("/v1/spaces/" + space + "/grants"));
        calls.put("PUT grant", k -> as(k).body(Map.of("role", "admin")).put("/v1/spaces/" + space + "/grants/" + attackerId));
        calls.put("DELETE grant", k -> as(k).delete("/v1/spaces/" + space + "/grants/" + attackerId));

        calls.forEach((name, call) -> {
            Response r = call.apply(attacker);
            assertEquals(404, r.statusCode(), name + ": " + r.asString());
            assertTrue(r.contentType().startsWith("application/problem+json"), name);
            assertEquals(-1, r.asString().indexOf("victim's private memory"), name);
        });

        as(victim).get("/v1/cubes/" + cube).then().statusCode(200)
                .body("version", equalTo(1)).body("state", equalTo("GENERATED"))
                .body("text", equalTo("victim's private memory"));
        as(victim).get("/v1/spaces/" + space + "/cubes").then().body("items.text", equalTo(List.of("victim's private memory")));
        as(attacker).get("/v1/spaces").then().body("items.name", not(hasItem(space)));
    }
}
