package dev.memos.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.memos.api.Api.as;
import static dev.memos.api.Api.problem;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST /v1/ingest: the Kafka ingest records over HTTP, with the caller's key acting. */
@QuarkusTest
class IngestApiTest {

    @Test
    void records_become_cubes_and_refused_ones_are_reported_without_stopping_the_others() {
        String[] owner = Api.principal("http-ingestor");
        String[] stranger = Api.principal("http-stranger");
        String space = Api.space(owner[1]);
        String strangers = Api.space(stranger[1]);
        List<Map<String, Object>> records = List.of(
                Map.of("type", "turn", "space", space, "idempotencyKey", "t1", "speaker", "Ann",
                        "text", "I adopted a cat named Miso. She is very shy.", "eventTime", "2023-05-08T13:56:00Z"),
                Map.of("type", "document", "space", space, "idempotencyKey", "d1", "title", "Notes",
                        "text", "Robert'); DROP TABLE cube;-- is a name.\n\nThe second paragraph has words."),
                Map.of("type", "turn", "space", strangers, "idempotencyKey", "x1", "speaker", "Eve", "text", "not mine to write"),
                Map.of("type", "turn", "space", space, "idempotencyKey", "k1", "speaker", "Eve", "text", "keyed",
                        "apiKey", stranger[1]),
                Map.of("type", "recipe", "space", space, "idempotencyKey", "r1"));

        JsonPath first = as(owner[1]).body(Map.of("records", records)).post("/v1/ingest").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(2, first.getInt("written"));
        assertEquals(3, first.getInt("rejected"));
        assertEquals(List.of("written", "written", "rejected", "rejected", "rejected"), first.getList("results.status"));
        assertEquals("unknown-space", first.getString("results[2].reason"));
        assertTrue(first.getString("results[3].message").contains("apiKey"), first.getString("results[3].message"));
        assertEquals("invalid", first.getString("results[4].reason"));
        int created = first.getInt("created");
        assertTrue(created >= 4, "two sentences and two paragraphs: " + created);

        List<String> texts = as(owner[1]).get("/v1/spaces/" + space + "/cubes").then().statusCode(200).extract()
                .jsonPath().getList("items.text");
        assertTrue(texts.contains("Ann: I adopted a cat named Miso."), texts.toString());
        assertTrue(texts.stream().anyMatch(t -> t.contains("Robert'); DROP TABLE cube;--")), texts.toString());
        as(stranger[1]).get("/v1/spaces/" + strangers + "/cubes").then().statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.equalTo(0));

        JsonPath again = as(owner[1]).body(Map.of("records", records.subList(0, 2))).post("/v1/ingest").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(0, again.getInt("created"), "the same records again create nothing");
        assertEquals(texts.size(), as(owner[1]).get("/v1/spaces/" + space + "/cubes").then().extract().jsonPath()
                .getList("items").size());

        problem(as(owner[1]).body(Map.of("records", List.of())).post("/v1/ingest").then(), 400, "invalid");
        problem(as(owner[1]).body("{}").post("/v1/ingest").then(), 400, "invalid");
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            many.add(Map.of("type", "turn", "space", space, "idempotencyKey", "m" + i, "speaker", "A", "text", "x y z"));
        }
        problem(as(owner[1]).body(Map.of("records", many)).post("/v1/ingest").then(), 400, "invalid")
                .body("detail", containsString("500"));
        problem(io.restassured.RestAssured.given().contentType("application/json").body(Map.of("records", records))
                .post("/v1/ingest").then(), 401, "unauthenticated");
    }
}
