package dev.memos.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.memos.api.Api.as;
import static dev.memos.api.Api.problem;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data-subject operations: list, export, rectify and erase everything about one person across the spaces the
 * caller administers — and nothing in a space the caller only reads or does not hold.
 */
@QuarkusTest
class SubjectApiTest {

    private static String cube(String key, String space, String text, String subject) {
        return as(key).body(Map.of("text", text, "subject", subject)).post("/v1/spaces/" + space + "/cubes").then()
                .statusCode(201).body("governance.subject", equalTo(subject)).extract().path("id");
    }

    @Test
    void everything_about_a_subject_is_listed_exported_rectified_and_erased_across_administered_spaces()
            throws InterruptedException {
        String[] owner = Api.principal("subject-owner");
        String[] reader = Api.principal("subject-reader");
        String[] other = Api.principal("subject-other");
        String first = Api.space(owner[1]);
        String second = Api.space(owner[1]);
        String subject = "Erin Quill " + owner[0].substring(0, 8);
        String a = cube(owner[1], first, "Erin's email is erin@old.example", subject);
        String b = cube(owner[1], second, "Erin prefers green tea", subject);
        String unrelated = cube(owner[1], first, "Finn prefers coffee", "Finn");
        String theirs = cube(other[1], Api.space(other[1]), "Erin met someone else's agent", subject);
        as(owner[1]).body(Map.of("role", "read", "clearances", List.of("*"))).put("/v1/spaces/" + first + "/grants/"
                + reader[0]).then().statusCode(200);
        String path = "/v1/subjects/" + subject;

        List<String> listed = as(owner[1]).get(path + "/cubes").then().statusCode(200).extract().jsonPath().getList("items.id");
        assertEquals(List.of(a, b).stream().sorted().toList(), listed.stream().sorted().toList());
        assertFalse(listed.contains(unrelated) || listed.contains(theirs));
        assertEquals(List.of(), as(reader[1]).get(path + "/cubes").then().statusCode(200).extract().jsonPath()
                .getList("items"), "reading a space is not administering it");
        assertEquals(List.of(theirs), as(other[1]).get(path + "/cubes").then().statusCode(200).extract().jsonPath()
                .getList("items.id"));

        JsonPath export = as(owner[1]).queryParam("redact", "true").get(path + "/export").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(2, export.getList("items").size());
        assertTrue(export.prettify().contains("[pii.email]") && !export.prettify().contains("erin@old.example"),
                export.prettify());

        JsonPath rectified = as(owner[1]).body(Map.of("replace", "erin@old.example", "with", "erin@new.example"))
                .post(path + "/rectify").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(a), rectified.getList("changed.id"));
        assertEquals(1, rectified.getInt("unchanged"));
        as(owner[1]).get("/v1/cubes/" + a).then().body("version", equalTo(2))
                .body("text", equalTo("Erin's email is erin@new.example"));
        problem(as(owner[1]).body(Map.of()).post(path + "/rectify").then(), 400, "invalid");
        problem(as(owner[1]).body(Map.of("replace", "x")).post(path + "/rectify").then(), 400, "invalid");

        StringBuilder all = new StringBuilder();
        String after = null;
        do { // the whole trail: other tests' entries come before
            var page = (after == null ? as(Api.ADMIN_KEY) : as(Api.ADMIN_KEY).queryParam("after", after))
                    .queryParam("limit", 1000).get("/v1/audit").then().statusCode(200).extract().jsonPath();
            all.append(page.prettify());
            after = page.getString("nextCursor");
        } while (after != null);
        String trail = all.toString();
        assertTrue(trail.contains("subject.exported") && trail.contains("subject.rectified"), trail);
        assertFalse(trail.contains("Erin Quill"), "the trail names the subject by a digest only");

        JsonPath erased = as(owner[1]).queryParam("reason", "asked to be forgotten").delete(path).then().statusCode(202)
                .extract().jsonPath();
        assertEquals(2, erased.getList("erasures").size(), "one erasure per space");
        assertFalse(erased.prettify().contains("Erin Quill"), "erasures name the subject by a digest");
        for (String id : erased.getList("erasures.id", String.class)) {
            JsonPath report = ErasureApiTest.await(owner[1], id);
            assertEquals("VERIFIED", report.getString("status"), report.prettify());
            assertEquals("SUBJECT", report.getString("scope"));
        }
        as(owner[1]).get("/v1/cubes/" + a).then().statusCode(200).body("state", equalTo("DELETED"))
                .body("governance.subject", org.hamcrest.Matchers.nullValue());
        as(owner[1]).get("/v1/cubes/" + unrelated).then().statusCode(200).body("state", equalTo("GENERATED"));
        as(other[1]).get("/v1/cubes/" + theirs).then().statusCode(200).body("state", equalTo("GENERATED"));
        assertEquals(List.of(), as(owner[1]).get(path + "/cubes").then().extract().jsonPath().getList("items"));
        problem(as(owner[1]).delete(path).then(), 404, "not-found");
    }

    @Test
    void a_bad_subject_is_a_clear_problem() {
        String[] owner = Api.principal("subject-bad");
        String space = Api.space(owner[1]);
        problem(as(owner[1]).body(Map.of("text", "x y z", "subject", "a\u0001b")).post("/v1/spaces/" + space + "/cubes")
                .then(), 400, "invalid").body("field", equalTo("subject"));
        problem(as(owner[1]).body(Map.of("text", "x y z", "subject", "s".repeat(129))).post("/v1/spaces/" + space
                + "/cubes").then(), 400, "invalid");
        problem(as(owner[1]).get("/v1/subjects/{s}/cubes", "   ").then(), 400, "invalid");
        problem(as(owner[1]).queryParam("limit", "0").get("/v1/subjects/x/cubes").then(), 400, "invalid");
        problem(as(owner[1]).queryParam("cursor", "nope").get("/v1/subjects/x/cubes").then(), 400, "invalid");
    }
}
