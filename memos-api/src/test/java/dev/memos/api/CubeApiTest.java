package dev.memos.api;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.memos.api.Api.as;
import static dev.memos.api.Api.problem;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Every cube endpoint, by the behaviour a client relies on. */
@QuarkusTest
class CubeApiTest {
    private String key;
    private String space;

    @BeforeEach
    void setUp() {
        key = Api.principal("writer")[1];
        space = Api.space(key);
    }

    @Test
    void write_returns_201_with_location_etag_and_the_full_header() {
        as(key).body(Map.of("text", "Alice prefers green tea", "kind", "preference", "tags", List.of("drinks"),
                        "source", "conversation", "sourceRef", "msg-1", "sessionId", "s-1",
                        "validFrom", "2025-01-01T00:00:00Z", "priority", 7, "sensitivity", List.of("health"),
                        "purpose", "assistant"))
                .post("/v1/spaces/" + space + "/cubes")
                .then().statusCode(201)
                .header("Location", notNullValue())
                .header("ETag", "\"1\"")
                .body("version", equalTo(1))
                .body("space", equalTo(space))
                .body("tier", equalTo("PLAINTEXT"))
                .body("state", equalTo("GENERATED"))
                .body("text", equalTo("Alice prefers green tea"))
                .body("kind", equalTo("preference"))
                .body("tags", contains("drinks"))
                .body("provenance.source", equalTo("CONVERSATION"))
                .body("provenance.sourceRef", equalTo("msg-1"))
                .body("provenance.sessionId", equalTo("s-1"))
                .body("provenance.operation", equalTo("WRITE"))
                .body("time.validFrom", equalTo("2025-01-01T00:00:00Z"))
                .body("time.recordedAt", notNullValue())
                .body("governance.priority", equalTo(7))
                .body("governance.sensitivity", contains("health"))
                .body("governance.purpose", equalTo("assistant"))
                .body("usage.accessCount", equalTo(0));
    }

    @Test
    void a_repeated_idempotency_key_answers_200_with_the_first_cube() {
        String first = as(key).header("Idempotency-Key", "turn-17").body(Map.of("text", "first"))
                .post("/v1/spaces/" + space + "/cubes").then().statusCode(201).extract().path("id");
        as(key).body(Map.of("text", "second", "idempotencyKey", "turn-17"))
                .post("/v1/spaces/" + space + "/cubes")
                .then().statusCode(200).header("Idempotent-Replayed", "true")
                .body("id", equalTo(first)).body("text", equalTo("first"));
        as(key).get("/v1/spaces/" + space + "/cubes").then().body("items", hasSize(1));
    }

    @Test
    void get_patch_versions_and_rollback() {
        String id = Api.cube(key, space, "Bob lives in Paris");
        as(key).get("/v1/cubes/" + id).then().statusCode(200).header("ETag", "\"1\"").body("text", equalTo("Bob lives in Paris"));

        as(key).header("If-Match", "\"1\"").body(Map.of("text", "Bob lives in Berlin", "tags", List.of("moved")))
                .patch("/v1/cubes/" + id)
                .then().statusCode(200).header("ETag", "\"2\"").body("version", equalTo(2))
                .body("provenance.operation", equalTo("UPDATE"));

        as(key).get("/v1/cubes/" + id + "/versions").then().statusCode(200)
                .body("items.version", contains(1, 2))
                .body("items[0].text", equalTo("Bob lives in Paris"))
                .body("items[0].time.supersededAt", notNullValue())
                .body("items[1].time.supersededAt", nullValue());
        as(key).get("/v1/cubes/" + id + "/versions/1").then().statusCode(200).body("text", equalTo("Bob lives in Paris"));
        problem(as(key).get("/v1/cubes/" + id + "/versions/9").then(), 404, "not-found");

        as(key).body(Map.of("version", 1)).post("/v1/cubes/" + id + "/rollback")
                .then().statusCode(200).body("version", equalTo(3)).body("text", equalTo("Bob lives in Paris"))
                .body("provenance.operation", equalTo("ROLLBACK"));
        problem(as(key).header("If-Match", "\"2\"").body(Map.of("version", 1)).post("/v1/cubes/" + id + "/rollback").then(),
                412, "stale-version");
        problem(as(key).body(Map.of("version", 3)).post("/v1/cubes/" + id + "/rollback").then(), 400, "invalid");
    }

    @Test
    void patch_needs_if_match_and_a_stale_one_gets_412() {
        String id = Api.cube(key, space, "v1");
        problem(as(key).body(Map.of("text", "v2")).patch("/v1/cubes/" + id).then(), 428, "precondition-required");
        as(key).header("If-Match", "\"1\"").body(Map.of("text", "v2")).patch("/v1/cubes/" + id).then().statusCode(200);
        problem(as(key).header("If-Match", "\"1\"").body(Map.of("text", "v3")).patch("/v1/cubes/" + id).then(),
                412, "stale-version");
        problem(as(key).header("If-Match", "yesterday").body(Map.of("text", "v3")).patch("/v1/cubes/" + id).then(),
                400, "invalid");
        problem(as(key).header("If-Match", "\"2\"").body(Map.of()).patch("/v1/cubes/" + id).then(), 400, "invalid");
        as(key).get("/v1/cubes/" + id).then().body("text", equalTo("v2"));
    }

    @Test
    void transitions_follow_the_lifecycle_and_illegal_ones_get_409() {
        String id = Api.cube(key, space, "lifecycle");
        as(key).body(Map.of("to", "activated", "reason", "used")).post("/v1/cubes/" + id + "/transitions")
                .then().statusCode(200).body("state", equalTo("ACTIVATED"));
        as(key).body(Map.of("to", "ARCHIVED")).post("/v1/cubes/" + id + "/transitions")
                .then().statusCode(200).body("state", equalTo("ARCHIVED"));
        problem(as(key).body(Map.of("to", "MERGED")).post("/v1/cubes/" + id + "/transitions").then(), 409, "conflict");
        problem(as(key).body(Map.of("to", "SLEEPING")).post("/v1/cubes/" + id + "/transitions").then(), 400, "invalid-json")
                .body("field", equalTo("to"));
        problem(as(key).body(Map.of("reason", "no target")).post("/v1/cubes/" + id + "/transitions").then(), 400, "invalid")
                .body("field", equalTo("to"));
        as(key).get("/v1/cubes/" + id).then().body("state", equalTo("ARCHIVED"));
    }

    @Test
    void invalidate_ends_validity_as_a_new_version_and_valid_at_filters_it_out() {
        String id = as(key).body(Map.of("text", "Carol works at Acme", "validFrom", "2020-01-01T00:00:00Z"))
                .post("/v1/spaces/" + space + "/cubes").then().statusCode(201).extract().path("id");
        String believed = java.time.Instant.now().toString();
        as(key).body(Map.of("validTo", "2025-01-01T00:00:00Z", "reason", "she left"))
                .post("/v1/cubes/" + id + "/invalidate")
                .then().statusCode(200).body("time.validTo", equalTo("2025-01-01T00:00:00Z"))
                .body("version", equalTo(2)).body("provenance.operation", equalTo("INVALIDATE"))
                .body("time.supersededAt", nullValue());
        as(key).get("/v1/cubes/" + id + "/versions/1").then().body("time.validTo", nullValue())
                .body("time.supersededAt", notNullValue());
        // what memos believed before the invalidation, and now
        as(key).queryParam("asOf", believed).get("/v1/cubes/" + id).then().statusCode(200)
                .body("version", equalTo(1)).body("time.validTo", nullValue());
        as(key).queryParam("asOf", believed).queryParam("validAt", "2025-06-01T00:00:00Z")
                .get("/v1/spaces/" + space + "/cubes").then().body("items.id", hasItem(id));
        problem(as(key).queryParam("asOf", "2001-01-01T00:00:00Z").get("/v1/cubes/" + id).then(), 404, "not-found");
        problem(as(key).queryParam("asOf", "yesterday").get("/v1/cubes/" + id).then(), 400, "invalid");
        problem(as(key).queryParam("asOf", "'; drop table cube; --").get("/v1/spaces/" + space + "/cubes").then(),
                400, "invalid");
        as(key).queryParam("validAt", "2024-06-01T00:00:00Z").get("/v1/spaces/" + space + "/cubes")
                .then().body("items", hasSize(1));
        as(key).queryParam("validAt", "2025-06-01T00:00:00Z").get("/v1/spaces/" + space + "/cubes")
                .then().body("items", hasSize(0));
        problem(as(key).body(Map.of()).post("/v1/cubes/" + id + "/invalidate").then(), 409, "conflict");
    }

    @Test
    void delete_leaves_a_tombstone_without_payload_in_any_read() {
        String id = Api.cube(key, space, "my secret");
        as(key).header("If-Match", "\"1\"").body(Map.of("text", "my other secret")).patch("/v1/cubes/" + id).then().statusCode(200);
        as(key).delete("/v1/cubes/" + id).then().statusCode(202);
        as(key).delete("/v1/cubes/" + id).then().statusCode(202);

        String everything = as(key).get("/v1/cubes/" + id).then().statusCode(200).body("state", equalTo("DELETED"))
                .body("text", nullValue()).extract().asString()
                + as(key).get("/v1/cubes/" + id + "/versions").asString()
                + as(key).get("/v1/cubes/" + id + "/versions/1").asString()
                + as(key).queryParam("state", "deleted").get("/v1/spaces/" + space + "/cubes").asString();
        assertEquals(-1, everything.indexOf("secret"), everything);
        as(key).get("/v1/spaces/" + space + "/cubes").then().body("items", hasSize(0));
    }

    @Test
    void list_filters_and_pages_with_a_cursor() {
        for (int i = 0; i < 7; i++) {
            as(key).body(Map.of("text", "fact " + i, "kind", i % 2 == 0 ? "fact" : "event", "tags", List.of("t" + (i % 3))))
                    .post("/v1/spaces/" + space + "/cubes").then().statusCode(201);
        }
        as(key).queryParam("kind", "event").get("/v1/spaces/" + space + "/cubes").then().body("items", hasSize(3));
        as(key).queryParam("tag", "t0").get("/v1/spaces/" + space + "/cubes").then().body("items", hasSize(3));
        as(key).queryParam("state", "GENERATED").get("/v1/spaces/" + space + "/cubes").then().body("items", hasSize(7));

        var first = as(key).queryParam("limit", 4).get("/v1/spaces/" + space + "/cubes").then().statusCode(200)
                .body("items", hasSize(4)).extract().jsonPath();
        String cursor = first.getString("nextCursor");
        assertNotNull(cursor);
        as(key).queryParam("limit", 4).queryParam("cursor", cursor).get("/v1/spaces/" + space + "/cubes")
                .then().body("items", hasSize(3)).body("nextCursor", nullValue())
                .body("items[0].text", equalTo("fact 4"));

        problem(as(key).queryParam("state", "ASLEEP").get("/v1/spaces/" + space + "/cubes").then(), 400, "invalid")
                .body("field", equalTo("state"));
        problem(as(key).queryParam("validAt", "yesterday").get("/v1/spaces/" + space + "/cubes").then(), 400, "invalid")
                .body("field", equalTo("validAt"));
        problem(as(key).queryParam("limit", 0).get("/v1/spaces/" + space + "/cubes").then(), 400, "invalid");
        problem(as(key).queryParam("cursor", "' OR 1=1 --").get("/v1/spaces/" + space + "/cubes").then(), 400, "invalid")
                .body("field", equalTo("cursor"));
    }
}
