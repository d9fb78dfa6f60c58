package dev.memos.api;

import java.time.Duration;
import org.awaitility.Awaitility;
import dev.memos.scheduler.policy.ActivationPolicy;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.memos.api.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scheduler keeps a space's hottest memories compiled into one activation cube, and logs why. */
@QuarkusTest
@QuarkusTestResource(TinyModelResource.class)
class ActivationPolicyApiTest {
    @Inject
    ActivationPolicy policy;

    @Test
    void the_hottest_memories_are_compiled_once_and_recompiled_when_they_change() throws InterruptedException {
        String[] owner = Api.principal("activation-policy");
        String space = Api.space(owner[1]);
        String a = Api.cube(owner[1], space, "Mia is vegetarian");
        String b = Api.cube(owner[1], space, "Mia works nights");
        Api.cube(owner[1], space, "never read, so never hot");
        warm(owner[1], a);
        warm(owner[1], b);

        assertTrue(policy.runSpace(space));
        List<Map<String, Object>> log = log(owner[1], space);
        Map<String, Object> compiled = log.getFirst();
        assertEquals("cube.created", compiled.get("type"));
        assertEquals("activation", compiled.get("policy"));
        String first = (String) compiled.get("cubeId");
        JsonPath cube = as(owner[1]).get("/v1/cubes/" + first).then().statusCode(200)
                .body("tier", equalTo("ACTIVATION")).body("provenance.actor", equalTo("memos-scheduler"))
                .extract().jsonPath();
        String sources = cube.getString("blob.attributes.sources");
        assertTrue(sources.contains(a + "@1") && sources.contains(b + "@1") && sources.split(",").length == 2, sources);

        assertFalse(policy.runSpace(space), "an unchanged working set is not compiled again");

        JsonPath chat = as(owner[1]).body(Map.of("messages", List.of(Map.of("role", "user", "content", "Mia?")),
                "k", 0, "maxTokens", 4)).post("/v1/spaces/" + space + "/chat").then().statusCode(200)
                .extract().jsonPath();
        assertNull(chat.getString("activationSkipped"));

        as(owner[1]).header("If-Match", "\"1\"").body(Map.of("text", "Mia works days now"))
                .patch("/v1/cubes/" + b).then().statusCode(200);
        warm(owner[1], b);
        assertTrue(policy.runSpace(space), "a changed source is compiled anew");
        as(owner[1]).get("/v1/cubes/" + first).then().statusCode(200).body("state", equalTo("DELETED"));
        assertTrue(log(owner[1], space).stream().anyMatch(e -> first.equals(e.get("cubeId"))
                && "cube.deleted".equals(e.get("type")) && String.valueOf(e.get("reason")).startsWith("stale: its source "
                + b)), "the stale cube is retired with the reason");

        // a principal's own activation cube goes stale too, and is retired the same way
        String mine = as(owner[1]).body(Map.of("cubes", List.of(a))).post("/v1/spaces/" + space + "/activation").then()
                .statusCode(201).extract().path("id");
        as(owner[1]).header("If-Match", "\"1\"").body(Map.of("text", "Mia is vegan")).patch("/v1/cubes/" + a).then()
                .statusCode(200);
        policy.runSpace(space);
        as(owner[1]).get("/v1/cubes/" + mine).then().statusCode(200).body("state", equalTo("DELETED"));
    }

    /** Reads the cube until its heat (written by the usage recorder in batches) is above zero. */
    private static void warm(String key, String id) throws InterruptedException {
        Awaitility.await("cube " + id + " becomes hot").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> as(key).get("/v1/cubes/" + id).then().statusCode(200).extract().jsonPath()
                        .getFloat("usage.heat"), heat -> heat > 0);
    }

    private static List<Map<String, Object>> log(String key, String space) {
        return as(key).get("/v1/spaces/" + space + "/scheduler/log").then().statusCode(200).extract().jsonPath()
                .getList("items");
    }
}
