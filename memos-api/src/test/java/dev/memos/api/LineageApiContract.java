package dev.memos.api;

import java.time.Duration;
import org.awaitility.Awaitility;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.memos.api.Api.as;
import static dev.memos.api.Api.problem;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lineage and provenance through the API, with access checks on every node; run against the embedded
 * lineage store in-process ({@link LineageApiTest}) and against a packaged service on Neo4j ({@link LineageNeo4jIT}).
 */
abstract class LineageApiContract {

    /** Has memos fuse two cubes of identical text (a consolidation) and returns the new cube's id. */
    protected abstract String fuse(String key, String first, String second);

    /** Polls the lineage until {@code edges} edges are recorded (the recorder runs after commit). */
    static JsonPath lineage(String key, String cube, String query, int edges) {
        return Awaitility.await(edges + " lineage edges of " + cube).atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> as(key).get("/v1/cubes/" + cube + "/lineage" + query).then().statusCode(200)
                        .extract().jsonPath(), body -> body.getList("edges").size() >= edges);
    }

    private static String update(String key, String cube, String text) {
        as(key).header("If-Match", "\"1\"").body(Map.of("text", text)).patch("/v1/cubes/" + cube).then().statusCode(200);
        return cube;
    }

    @Test
    void a_derived_cube_shows_its_sources_and_a_reader_of_one_space_sees_the_other_redacted() {
        String[] owner = Api.principal("lineage-owner");
        String[] reader = Api.principal("lineage-reader");
        String[] outsider = Api.principal("lineage-outsider");
        String shared = Api.space(owner[1]);
        String privateSpace = Api.space(owner[1]);
        as(owner[1]).body(Map.of("role", "write")).put("/v1/spaces/" + shared + "/grants/" + reader[0])
                .then().statusCode(200);

        String secret = Api.cube(owner[1], privateSpace, "Bob's salary is 91,000");
        String fact = update(owner[1], Api.cube(owner[1], shared, "Bob likes cake"), "Bob likes carrot cake");
        String summary = as(owner[1]).body(Map.of("text", "Bob: carrot cake, well paid", "derivedFrom", List.of(secret, fact)))
                .post("/v1/spaces/" + shared + "/cubes").then().statusCode(201)
                .body("provenance.derivedFrom", equalTo(List.of(secret, fact))).extract().path("id");

        JsonPath full = lineage(owner[1], summary, "?direction=ancestors&depth=2", 3);
        assertEquals(summary + "@1", full.getString("root"));
        assertEquals(List.of(secret + "@1", fact + "@1", fact + "@2", summary + "@1").stream().sorted().toList(),
                full.getList("nodes.ref", String.class).stream().sorted().toList());
        assertEquals(List.of(fact + "@2 VERSION_OF " + fact + "@1", summary + "@1 DERIVED_FROM " + fact + "@2",
                        summary + "@1 DERIVED_FROM " + secret + "@1").stream().sorted().toList(),
                edges(full).stream().sorted().toList());
        Map<String, Object> derive = full.getMap("edges.find { it.from == '" + summary + "@1' && it.to == '" + secret + "@1' }");
        assertEquals("derive", derive.get("operation"));
        assertEquals(owner[0], derive.get("actor"));
        assertNotNull(derive.get("eventId"));
        assertEquals("Bob's salary is 91,000", full.getString("nodes.find { it.ref == '" + secret + "@1' }.text"));

        // the reader may read the shared space only: the private source is a placeholder
        String seen = as(reader[1]).get("/v1/cubes/" + summary + "/lineage?direction=ancestors&depth=2").then()
                .statusCode(200).extract().asString();
        JsonPath partial = JsonPath.from(seen);
        assertFalse(seen.contains(secret), "the hidden cube's id leaked: " + seen);
        assertFalse(seen.contains(privateSpace), "the hidden space leaked: " + seen);
        assertFalse(seen.contains("salary"), "the hidden text leaked: " + seen);
        assertEquals(4, partial.getList("nodes").size());
        Map<String, Object> hidden = partial.getMap("nodes.find { it.redacted == true }");
        assertEquals("redacted-1@1", hidden.get("ref"));
        assertNull(hidden.get("id"));
        assertNull(hidden.get("space"));
        Map<String, Object> toHidden = partial.getMap("edges.find { it.to == 'redacted-1@1' }");
        assertEquals("DERIVED_FROM", toHidden.get("type"));
        assertNull(toHidden.get("actor"));
        assertNull(toHidden.get("operation"));
        assertNull(toHidden.get("eventId"));
        assertEquals("Bob likes carrot cake", partial.getString("nodes.find { it.ref == '" + fact + "@2' }.text"));

        // the reader cannot derive from what it cannot read, and such a write leaves nothing behind
        int before = as(reader[1]).get("/v1/spaces/" + shared + "/cubes").then().extract().jsonPath().getList("items").size();
        problem(as(reader[1]).body(Map.of("text", "copied", "derivedFrom", List.of(secret)))
                .post("/v1/spaces/" + shared + "/cubes").then(), 400, "invalid").body("detail", containsString("derivedFrom"));
        problem(as(reader[1]).body(Map.of("text", "copied", "derivedFrom", List.of("'; MATCH (n) DETACH DELETE n //")))
                .post("/v1/spaces/" + shared + "/cubes").then(), 400, "invalid");
        assertEquals(before, as(reader[1]).get("/v1/spaces/" + shared + "/cubes").then().extract().jsonPath()
                .getList("items").size());

        // someone with no grant learns nothing, not even that the cube exists
        problem(as(outsider[1]).get("/v1/cubes/" + summary + "/lineage").then(), 404, "not-found");
        problem(as(outsider[1]).get("/v1/cubes/" + summary + "/provenance").then(), 404, "not-found");
        problem(as(owner[1]).get("/v1/cubes/" + summary + "/lineage?direction=sideways").then(), 400, "invalid");
        problem(as(owner[1]).get("/v1/cubes/" + summary + "/lineage?depth=26").then(), 400, "invalid");
        problem(as(owner[1]).get("/v1/cubes/" + summary + "/lineage?depth=-1").then(), 400, "invalid");
        problem(as(owner[1]).get("/v1/cubes/" + summary + "/lineage?depth=two").then(), 400, "invalid");
        problem(as(owner[1]).get("/v1/cubes/not-a-cube/lineage").then(), 400, "invalid");
    }

    private static List<String> edges(JsonPath graph) {
        return graph.getList("edges", Map.class).stream().map(e -> e.get("from") + " " + e.get("type") + " " + e.get("to"))
                .toList();
    }

    @Test
    void provenance_lists_origins_first_with_operations_and_sources() {
        String[] owner = Api.principal("provenance-owner");
        String space = Api.space(owner[1]);
        String a = Api.cube(owner[1], space, "Ann moved to Oslo");
        String b = update(owner[1], Api.cube(owner[1], space, "Ann works at a bakery"), "Ann runs a bakery");
        String c = as(owner[1]).body(Map.of("text", "Ann runs a bakery in Oslo", "derivedFrom", List.of(a, b),
                "sourceRef", "summariser#7")).post("/v1/spaces/" + space + "/cubes").then().statusCode(201).extract().path("id");
        lineage(owner[1], c, "?direction=ancestors", 3);

        JsonPath p = as(owner[1]).get("/v1/cubes/" + c + "/provenance").then().statusCode(200).extract().jsonPath();
        List<String> order = p.getList("steps.node.ref", String.class);
        assertEquals(4, order.size(), order.toString());
        assertEquals(c + "@1", order.getLast());
        assertTrue(order.indexOf(b + "@1") < order.indexOf(b + "@2"));
        assertEquals(List.of(a + "@1", b + "@2").stream().sorted().toList(),
                p.getList("steps.find { it.node.ref == '" + c + "@1' }.inputs", String.class).stream().sorted().toList());
        assertEquals("UPDATE", p.getString("steps.find { it.node.ref == '" + b + "@2' }.node.operation"));
        assertEquals("summariser#7", p.getString("steps.find { it.node.ref == '" + c + "@1' }.node.sourceRef"));
        assertEquals(List.of(), p.getList("steps.find { it.node.ref == '" + a + "@1' }.inputs"));
    }

    @Test
    void a_fusion_is_visible_from_its_sources_and_a_rebuild_reproduces_the_graph() {
        String[] owner = Api.principal("fusion-owner");
        String space = Api.space(owner[1]);
        String s1 = Api.cube(owner[1], space, "The wifi password is hunter2");
        String s2 = Api.cube(owner[1], space, "The wifi password is hunter2");
        String fused = fuse(owner[1], s1, s2);

        JsonPath down = lineage(owner[1], s1, "?direction=descendants", 2);
        assertEquals(java.util.Set.of(fused + "@1 DERIVED_FROM " + s1 + "@1", s1 + "@1 MERGED_INTO " + fused + "@1"),
                java.util.Set.copyOf(edges(down)));
        assertEquals("memos-scheduler", down.getString("edges.find { it.type == 'MERGED_INTO' }.actor"));
        assertEquals("merge", down.getString("edges.find { it.type == 'MERGED_INTO' }.operation"));
        JsonPath up = lineage(owner[1], fused, "?direction=ancestors", 4);
        assertEquals(4, up.getList("edges").size(), up.prettify());

        problem(as(owner[1]).post("/v1/admin/lineage/rebuild").then(), 403, "forbidden");
        as(Api.ADMIN_KEY).post("/v1/admin/lineage/rebuild").then().statusCode(200)
                .body("events", org.hamcrest.Matchers.greaterThan(4));
        String after = as(owner[1]).get("/v1/cubes/" + fused + "/lineage?direction=ancestors").then().statusCode(200)
                .extract().asString();
        assertEquals(up.prettify(), JsonPath.from(after).prettify(), "the rebuilt graph equals the recorded one");
    }
}
