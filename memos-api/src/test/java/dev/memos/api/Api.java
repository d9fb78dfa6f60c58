package dev.memos.api;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/** Small helpers over RestAssured: principals, spaces and cubes for a test to act on. */
final class Api {
    static final String ADMIN_KEY = "test-admin-key-0123456789abcdefghij";

    private Api() {
    }

    static RequestSpecification as(String key) {
        return RestAssured.given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    /** A new principal; returns {id, key}. */
    static String[] principal(String name) {
        var body = as(ADMIN_KEY).body(Map.of("name", name, "kind", "agent"))
                .post("/v1/principals").then().statusCode(201).extract().jsonPath();
        return new String[]{body.getString("id"), body.getString("apiKey")};
    }

    static String space(String key) {
        String name = "sp-" + UUID.randomUUID().toString().substring(0, 8);
        as(key).body(Map.of("name", name)).post("/v1/spaces").then().statusCode(201);
        return name;
    }

    static String cube(String key, String space, String text) {
        return as(key).body(Map.of("text", text)).post("/v1/spaces/" + space + "/cubes")
                .then().statusCode(201).extract().path("id");
    }

    /** Asserts a problem document with the given status and type suffix. */
    static ValidatableResponse problem(ValidatableResponse response, int status, String type) {
        return response.statusCode(status)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(status))
                .body("type", equalTo("https://memos.dev/problems/" + type));
    }
}
