package dev.memos.api;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.memos.api.Api.as;
import static dev.memos.api.Api.problem;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/** Malformed, oversized, mistyped and hostile requests get a 4xx problem and change nothing. */
@QuarkusTest
class BadInputApiTest {
    private String key;
    private String space;
    private String cubes;

    @BeforeEach
    void setUp() {
        key = Api.principal("fuzzer")[1];
        space = Api.space(key);
        cubes = "/v1/spaces/" + space + "/cubes";
    }

    private void nothingWritten() {
        as(key).get(cubes).then().statusCode(200).body("items", hasSize(0));
    }

    @Test
    void a_field_given_twice_is_400_naming_it() {
        problem(as(key).body("{\"text\": \"a\", \"text\": \"b\"}").post(cubes).then(), 400, "malformed-json")
                .body("field", equalTo("text"));
        String space = cubes.split("/")[3];
        String other = Api.principal("twice")[0];
        problem(as(key).body("{\"role\":\"read\",\"role\":\"admin\"}").put("/v1/spaces/" + space + "/grants/" + other)
                .then(), 400, "malformed-json").body("field", equalTo("role"));
        problem(as(key).body("{\"query\": \"x\", \"filters\": {\"tags\": [\"a\"], \"tags\": [\"b\"]}}")
                .post("/v1/spaces/" + space + "/search").then(), 400, "malformed-json").body("field", equalTo("tags"));
        nothingWritten();
    }

    @Test
    void a_long_request_line_or_large_headers_are_a_problem_not_an_empty_answer() {
        problem(as(key).get("/v1/cubes/" + "x".repeat(10_000)).then(), 414, "uri-too-long")
                .body("detail", containsString("the limit is 8192"));
        problem(as(key).header("X-Padding", "y".repeat(40_000)).get(cubes).then(), 431, "headers-too-large");
        nothingWritten();
    }

    /** A declared body over the hard limit is refused before a byte of it is read (sent by hand: no client would). */
    @Test
    void a_body_declared_over_the_hard_limit_is_413_problem_before_it_is_sent() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST " + cubes + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key
                    + "\r\nContent-Type: application/json\r\nContent-Length: 999999999\r\n\r\n{\"text\":")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            // the answer's head and its declared body; the connection may stay open (the client still owes a body)
            var in = new java.io.DataInputStream(socket.getInputStream());
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.readUnsignedByte());
            }
            var length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
            byte[] body = new byte[length.find() ? Integer.parseInt(length.group(1)) : 0];
            in.readFully(body);
            String answer = head + new String(body, java.nio.charset.StandardCharsets.UTF_8);
            org.hamcrest.MatcherAssert.assertThat(answer, startsWith("HTTP/1.1 413"));
            org.hamcrest.MatcherAssert.assertThat(answer, containsString("application/problem+json"));
            org.hamcrest.MatcherAssert.assertThat(answer, containsString("\"type\":\"https://memos.dev/problems/payload-too-large\""));
        }
        nothingWritten();
    }

    @Test
    void malformed_json_is_400() {
        problem(as(key).body("{\"text\": ").post(cubes).then(), 400, "malformed-json");
        problem(as(key).body("not json at all").post(cubes).then(), 400, "malformed-json");
        problem(as(key).body("[\"text\"]").post(cubes).then(), 400, "invalid-json");
        problem(as(key).body("").post(cubes).then(), 400, "invalid");
        nothingWritten();
    }

    @Test
    void unknown_fields_and_wrong_types_are_400_naming_the_field() {
        problem(as(key).body(Map.of("text", "x", "txet", "y")).post(cubes).then(), 400, "unknown-field")
                .body("field", equalTo("txet"));
        problem(as(key).body(Map.of("text", "x", "priority", "high")).post(cubes).then(), 400, "invalid-json")
                .body("field", equalTo("priority"));
        problem(as(key).body(Map.of("text", "x", "tags", "not-a-list")).post(cubes).then(), 400, "invalid-json")
                .body("field", equalTo("tags"));
        problem(as(key).body(Map.of("text", "x", "validFrom", "last tuesday")).post(cubes).then(), 400, "invalid-json")
                .body("field", equalTo("validFrom"));
        problem(as(key).body(Map.of("text", List.of("x"))).post(cubes).then(), 400, "invalid-json")
                .body("field", equalTo("text"));
        problem(as(key).body(Map.of("text", "x", "source", "telepathy")).post(cubes).then(), 400, "invalid-json")
                .body("field", equalTo("source"));
        problem(as(key).body("{\"text\":\"x\",\"tags\":[null]}").post(cubes).then(), 400, "invalid")
                .body("field", equalTo("tags"));
        nothingWritten();
    }

    @Test
    void values_that_break_a_rule_are_400_naming_the_field() {
        problem(as(key).body(Map.of("kind", "fact")).post(cubes).then(), 400, "invalid").body("field", equalTo("text"));
        problem(as(key).body(Map.of("text", "   ")).post(cubes).then(), 400, "invalid").body("field", equalTo("text"));
        problem(as(key).body(Map.of("text", "x", "priority", 1000)).post(cubes).then(), 400, "invalid")
                .body("field", equalTo("priority"));
        problem(as(key).body(Map.of("text", "x", "validFrom", "2025-01-01T00:00:00Z", "validTo", "2024-01-01T00:00:00Z"))
                .post(cubes).then(), 400, "invalid").body("field", equalTo("validTo"));
        problem(as(key).body(Map.of("text", "x", "tags", List.of("ok", "<script>alert(1)</script>"))).post(cubes).then(),
                400, "invalid").body("field", equalTo("tags"));
        problem(as(key).body(Map.of("text", "x".repeat(70_000))).post(cubes).then(), 400, "invalid")
                .body("field", equalTo("text")).body("detail", containsString("65536"));
        nothingWritten();
    }

    @Test
    void an_oversized_body_is_413() {
        String huge = "{\"text\":\"" + "x".repeat(1_100_000) + "\"}";
        problem(as(key).body(huge).post(cubes).then(), 413, "payload-too-large");
        nothingWritten();
    }

    @Test
    void wrong_media_type_and_method_are_4xx_problems() {
        problem(as(key).contentType("text/plain").body("hello").post(cubes).then(), 415, "unsupported-media-type");
        // Quarkus REST answers an unsupported method on a known path with 404 rather than 405.
        as(key).put(cubes).then().statusCode(anyOf(equalTo(404), equalTo(405)))
                .contentType(startsWith("application/problem+json"));
        problem(as(key).get("/v1/nothing-here").then(), 404, "route-not-found");
        nothingWritten();
    }

    @Test
    void injection_attempts_are_stored_as_inert_text_or_rejected() {
        String sql = "Robert'); DROP TABLE cube; --";
        String cypher = "MATCH (n) DETACH DELETE n //";
        String id = as(key).body(Map.of("text", sql, "sourceRef", cypher, "sessionId", "${jndi:ldap://x/a}"))
                .post(cubes).then().statusCode(201).extract().path("id");
        as(key).get("/v1/cubes/" + id).then().statusCode(200).body("text", equalTo(sql))
                .body("provenance.sourceRef", equalTo(cypher));
        problem(as(key).queryParam("tag", "x' OR '1'='1").get(cubes).then(), 400, "invalid");
        problem(as(key).queryParam("kind", "fact; DROP TABLE cube").get(cubes).then(), 400, "invalid");
        problem(as(key).get("/v1/spaces/..%2F..%2Fetc/cubes").then(), 400, "invalid");
        problem(as(key).get("/v1/cubes/1%20OR%201=1").then(), 400, "invalid").body("field", equalTo("id"));
        as(key).get(cubes).then().statusCode(200).body("items", hasSize(1));
    }
}
