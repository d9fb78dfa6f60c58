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

/** Sensitivity labels added on write by the detectors, and exports that redact what they find. */
@QuarkusTest
class LabelsApiTest {

    @Test
    void writes_and_text_updates_are_labelled_by_what_they_hold_and_plain_text_is_not() {
        String[] owner = Api.principal("labels-owner");
        String space = Api.space(owner[1]);
        JsonPath written = as(owner[1]).body(Map.of("text", "Dana's email is dana@example.org and her card is"
                        + " 4111 1111 1111 1111", "sensitivity", List.of("customer")))
                .post("/v1/spaces/" + space + "/cubes").then().statusCode(201).extract().jsonPath();
        assertEquals(List.of("customer", "pii.email", "pii.payment-card"),
                written.getList("governance.sensitivity").stream().sorted().toList());
        String plain = Api.cube(owner[1], space, "release 1.2.3 shipped on 2024-05-17, ticket 12345");
        as(owner[1]).get("/v1/cubes/" + plain).then().body("governance.sensitivity", equalTo(List.of()));

        as(owner[1]).header("If-Match", "\"1\"").body(Map.of("text", "release notes: ask ops@example.com"))
                .patch("/v1/cubes/" + plain).then().statusCode(200)
                .body("governance.sensitivity", equalTo(List.of("pii.email")));
    }

    @Test
    void an_export_can_redact_what_the_detectors_find() {
        String[] owner = Api.principal("labels-export");
        String space = Api.space(owner[1]);
        Api.cube(owner[1], space, "Call Erin on +44 20 7946 0958 or mail erin@example.net");
        JsonPath plain = as(owner[1]).get("/v1/spaces/" + space + "/export").then().statusCode(200).extract().jsonPath();
        assertEquals("Call Erin on +44 20 7946 0958 or mail erin@example.net", plain.getString("items[0].versions[0].text"));
        JsonPath redacted = as(owner[1]).queryParam("redact", "true").get("/v1/spaces/" + space + "/export").then()
                .statusCode(200).extract().jsonPath();
        assertEquals("Call Erin on [pii.phone] or mail [pii.email]", redacted.getString("items[0].versions[0].text"));
        problem(as(owner[1]).queryParam("redact", "yes").get("/v1/spaces/" + space + "/export").then(), 400, "invalid")
                .body("field", equalTo("redact"));
    }
}
