package dev.memos.api;

import org.awaitility.Awaitility;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.memos.api.Api.as;
import static dev.memos.api.Api.problem;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The erasure API: what a delete erases and lists, who may read the report, and bad requests. */
@QuarkusTest
class ErasureApiTest {

    @Test
    void derived_cubes_are_listed_without_cascade_and_erased_with_it_and_unreadable_ones_are_only_counted()
            throws InterruptedException {
        String[] owner = Api.principal("erasure-owner");
        String[] other = Api.principal("erasure-other");
        String space = Api.space(owner[1]);
        String source = Api.cube(owner[1], space, "the source fact about the orchard");
        String summary = as(owner[1]).body(Map.of("text", "a summary of the orchard fact", "derivedFrom", List.of(source)))
                .post("/v1/spaces/" + space + "/cubes").then().statusCode(201).extract().path("id");
        // another tenant, who may read the source, derives from it in a space the owner cannot read
        as(owner[1]).body(Map.of("role", "read")).put("/v1/spaces/" + space + "/grants/" + other[0]).then().statusCode(200);
        String elsewhere = Api.space(other[1]);
        as(other[1]).body(Map.of("text", "my copy of the orchard fact", "derivedFrom", List.of(source)))
                .post("/v1/spaces/" + elsewhere + "/cubes").then().statusCode(201);

        JsonPath kept = as(owner[1]).delete("/v1/cubes/" + source).then().statusCode(202).extract().jsonPath();
        assertEquals(List.of(source), kept.getList("cubes"));
        assertEquals(List.of(summary), kept.getList("derivedKept"));
        assertEquals(1, kept.getInt("derivedHidden"));
        assertEquals("PENDING", kept.getString("status"));
        as(owner[1]).get("/v1/cubes/" + summary).then().statusCode(200).body("state", equalTo("GENERATED"));

        String second = Api.cube(owner[1], space, "another source fact");
        String derived = as(owner[1]).body(Map.of("text", "derived from the other fact", "derivedFrom", List.of(second)))
                .post("/v1/spaces/" + space + "/cubes").then().statusCode(201).extract().path("id");
        String deeper = as(owner[1]).body(Map.of("text", "derived from the derived", "derivedFrom", List.of(derived)))
                .post("/v1/spaces/" + space + "/cubes").then().statusCode(201).extract().path("id");
        JsonPath cascaded = as(owner[1]).queryParam("cascade", "true").delete("/v1/cubes/" + second).then()
                .statusCode(202).extract().jsonPath();
        assertEquals(List.of(second, derived, deeper), cascaded.getList("cubes"));
        as(owner[1]).get("/v1/cubes/" + deeper).then().statusCode(200).body("state", equalTo("DELETED"));

        JsonPath report = await(owner[1], cascaded.getString("id"));
        assertEquals("VERIFIED", report.getString("status"), report.prettify());
        assertTrue(report.getList("checks.passed", Boolean.class).stream().allMatch(b -> b));
    }

    @Test
    void only_the_requester_and_administrators_read_a_report_and_bad_requests_are_problems() {
        String[] owner = Api.principal("erasure-reader");
        String[] stranger = Api.principal("erasure-stranger");
        String space = Api.space(owner[1]);
        String cube = Api.cube(owner[1], space, "a note to erase");
        String erasure = as(owner[1]).delete("/v1/cubes/" + cube).then().statusCode(202).extract().path("id");

        as(owner[1]).get("/v1/erasures/" + erasure).then().statusCode(200).body("target", equalTo(cube));
        as(Api.ADMIN_KEY).get("/v1/erasures/" + erasure).then().statusCode(200);
        problem(as(stranger[1]).get("/v1/erasures/" + erasure).then(), 404, "not-found");
        problem(as(owner[1]).get("/v1/erasures/" + UUID.randomUUID()).then(), 404, "not-found");
        problem(as(owner[1]).get("/v1/erasures/not-an-id").then(), 400, "invalid");
        problem(as(owner[1]).get("/v1/erasures").then(), 403, "forbidden");
        problem(as(stranger[1]).queryParam("space", space).get("/v1/erasures").then(), 404, "not-found");
        List<String> listed = as(owner[1]).queryParam("space", space).get("/v1/erasures").then().statusCode(200)
                .extract().jsonPath().getList("items.id");
        assertEquals(List.of(erasure), listed);
        problem(as(owner[1]).queryParam("cascade", "maybe").delete("/v1/cubes/" + Api.cube(owner[1], space, "x y z"))
                .then(), 400, "invalid").body("field", equalTo("cascade"));
        problem(as(stranger[1]).delete("/v1/cubes/" + cube).then(), 404, "not-found");
    }

    @Test
    void a_deleted_cube_is_redacted_in_the_lineage_of_what_derives_from_it() {
        String[] owner = Api.principal("erasure-lineage");
        String space = Api.space(owner[1]);
        String source = Api.cube(owner[1], space, "the original note");
        String derived = as(owner[1]).body(Map.of("text", "a note derived from it", "derivedFrom", List.of(source)))
                .post("/v1/spaces/" + space + "/cubes").then().statusCode(201).extract().path("id");
        JsonPath before = LineageApiContract.lineage(owner[1], derived, "?direction=ancestors", 1);
        assertEquals(List.of(source + "@1"), before.getList("edges.to"), "the source is named while it lives");
        as(owner[1]).delete("/v1/cubes/" + source).then().statusCode(202);
        JsonPath after = LineageApiContract.lineage(owner[1], derived, "?direction=ancestors", 1);
        assertEquals(List.of("redacted-1@1"), after.getList("edges.to"));
        assertFalse(after.prettify().contains(source), after.prettify());
    }

    static JsonPath await(String key, String erasure) throws InterruptedException {
        return Awaitility.await("erasure " + erasure + " reported").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> as(key).get("/v1/erasures/" + erasure).then().statusCode(200).extract().jsonPath(),
                        report -> !"PENDING".equals(report.getString("status")));
    }
}
