package dev.memos.api;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.memos.api.Api.as;
import static dev.memos.api.Api.problem;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sensitivity labels and purposes are access rules, not the caller's own filters: a labelled cube reaches only a
 * grant cleared for its labels, and a purpose-bound grant only cubes of its purposes — by id, in lists and in
 * both searches. Before, a cube labelled health went to any reader and a cube without a purpose matched every one.
 */
@QuarkusTest
class PurposeBoundAccessApiTest {

    private static String cube(String key, String space, Map<String, Object> body) {
        return as(key).body(body).post("/v1/spaces/" + space + "/cubes").then().statusCode(201).extract().path("id");
    }

    private static String seen(String key, String space) {
        String found = as(key).get("/v1/spaces/" + space + "/cubes").then().statusCode(200).extract().asString();
        for (String path : List.of("/v1/spaces/" + space + "/search", "/v1/search")) {
            found += as(key).body(Map.of("query", "ledger entry", "consistency", "read-your-writes", "k", 20))
                    .post(path).then().statusCode(200).extract().asString();
        }
        return found;
    }

    @Test
    void labels_need_a_clearance_and_purposes_bind_a_grant_in_every_read() {
        String[] owner = Api.principal("pb-owner");
        String[] reader = Api.principal("pb-reader");
        String space = Api.space(owner[1]);
        String plain = cube(owner[1], space, Map.of("text", "ledger entry about the weather", "purpose", "support"));
        String health = cube(owner[1], space, Map.of("text", "ledger entry about insulin", "sensitivity", List.of("health"),
                "purpose", "support"));
        String marketing = cube(owner[1], space, Map.of("text", "ledger entry about red shoes", "purpose", "marketing"));
        String grants = "/v1/spaces/" + space + "/grants/" + reader[0];

        Map<String, Object> granted = as(owner[1]).body(Map.of("role", "read")).put(grants).then().statusCode(200)
                .extract().jsonPath().getMap("");
        assertEquals(List.of(), granted.get("clearances"), "a read grant starts cleared for nothing");
        as(reader[1]).get("/v1/cubes/" + plain).then().statusCode(200);
        problem(as(reader[1]).get("/v1/cubes/" + health).then(), 404, "not-found");
        String all = seen(reader[1], space);
        assertTrue(all.contains(plain) && all.contains(marketing), all);
        assertFalse(all.contains(health), "a labelled cube leaked into a list or search: " + all);

        as(owner[1]).body(Map.of("role", "read", "clearances", List.of("health"), "purposes", List.of("support")))
                .put(grants).then().statusCode(200)
                .body("clearances", org.hamcrest.Matchers.contains("health"))
                .body("purposes", org.hamcrest.Matchers.contains("support"));
        as(reader[1]).get("/v1/cubes/" + health).then().statusCode(200);
        problem(as(reader[1]).get("/v1/cubes/" + marketing).then(), 404, "not-found");
        String bound = seen(reader[1], space);
        assertTrue(bound.contains(plain) && bound.contains(health), bound);
        assertFalse(bound.contains(marketing), "a cube of another purpose leaked: " + bound);

        assertEquals(List.of("health"), as(owner[1]).get("/v1/spaces/" + space + "/grants").then().statusCode(200)
                .extract().jsonPath().getList("items.find { it.principal == '" + reader[0] + "' }.clearances"));
    }

    @Test
    void a_bad_clearance_or_purpose_is_a_clear_problem_and_changes_nothing() {
        String[] owner = Api.principal("pb-owner2");
        String[] reader = Api.principal("pb-reader2");
        String space = Api.space(owner[1]);
        String grants = "/v1/spaces/" + space + "/grants/" + reader[0];
        problem(as(owner[1]).body(Map.of("role", "read", "clearances", List.of("<script>"))).put(grants).then(),
                400, "invalid").body("detail", containsString("clearances"));
        problem(as(owner[1]).body(Map.of("role", "read", "purposes", List.of("*"))).put(grants).then(),
                400, "invalid").body("detail", containsString("purposes"));
        problem(as(owner[1]).body(Map.of("role", "read", "purposes", "support")).put(grants).then(), 400, "invalid-json");
        assertFalse(as(owner[1]).get("/v1/spaces/" + space + "/grants").then().statusCode(200).extract().asString()
                .contains(reader[0]), "a refused grant left a row");
    }
}
