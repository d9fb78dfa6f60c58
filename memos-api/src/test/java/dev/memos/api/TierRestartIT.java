package dev.memos.api;

import dev.memos.testkit.Scratch;
import dev.memos.testkit.ServiceProcess;
import dev.memos.testkit.gguf.RandomModels;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged service with a generated model: an activation cube compiled before a restart is restored after it
 * (the KV state comes from the database, into a new process's context) and answers as a cold prefill does. The
 * same service without a model answers tier operations with 503 naming the setting.
 */
class TierRestartIT {

    @Test
    void activation_survives_a_restart_and_answers_as_a_cold_prefill() throws Exception {
        Path dataDir = Scratch.directory("memos-tiers");
        Path model = RandomModels.model(dataDir.resolve("tiny.gguf"), RandomModels.Shape.TINY);
        try (ServiceProcess service = new ServiceProcess(ServiceProcess.packagedJar(), dataDir,
                Map.of("MEMOS_ENGINE_MODEL", model.toString(), "MEMOS_ENGINE_CONTEXT_SIZE", "1024"))) {
            service.start();
            String admin = Files.readString(dataDir.resolve("admin.key")).strip();
            as(service, admin).body(Map.of("name", "kept")).post("/v1/spaces").then().statusCode(201);
            // one memory: the cold chat retrieves it into the same memory block the activation cube holds
            String a = as(service, admin).body(Map.of("text", "Kim speaks Korean and Portuguese and flies planes"))
                    .post("/v1/spaces/kept/cubes").then().statusCode(201).extract().path("id");
            as(service, admin).body(Map.of("cubes", List.of(a))).post("/v1/spaces/kept/activation").then()
                    .statusCode(201);
            JsonPath before = chat(service, admin, true);
            assertNull(before.getString("activationSkipped"));
            service.stop();

            service.start();
            JsonPath warm = chat(service, admin, true);
            assertNull(warm.getString("activationSkipped"), "restored in the new process");
            assertTrue(warm.getInt("timings.tokensRestored") > 10);
            JsonPath cold = chat(service, admin, false);
            assertEquals(0, cold.getInt("timings.tokensRestored"));
            assertEquals(a, cold.getString("cubes[0].id"), "the cold chat retrieved the same memory");
            assertEquals(warm.getInt("timings.tokensRestored") + warm.getInt("timings.tokensPrefilled"),
                    cold.getInt("timings.tokensPrefilled"), "the same prompt, restored or evaluated");
            assertEquals(before.getString("answer"), warm.getString("answer"));
            assertEquals(cold.getString("answer"), warm.getString("answer"), "restored KV answers as a cold prefill");
        }
    }

    @Test
    void without_a_model_tier_operations_name_the_setting() throws Exception {
        Path dataDir = Scratch.directory("memos-no-engine");
        try (ServiceProcess service = new ServiceProcess(ServiceProcess.packagedJar(), dataDir, Map.of())) {
            service.start();
            String admin = Files.readString(dataDir.resolve("admin.key")).strip();
            as(service, admin).body(Map.of("name", "plain")).post("/v1/spaces").then().statusCode(201);
            String cube = as(service, admin).body(Map.of("text", "Lea rows"))
                    .post("/v1/spaces/plain/cubes").then().statusCode(201).extract().path("id");
            for (var response : List.of(
                    as(service, admin).body(Map.of("tier", "ACTIVATION")).post("/v1/cubes/" + cube + "/migrate").then(),
                    as(service, admin).body(Map.of("messages", List.of(Map.of("role", "user", "content", "hi"))))
                            .post("/v1/spaces/plain/chat").then(),
                    as(service, admin).get("/v1/engine").then())) {
                response.statusCode(503).contentType(org.hamcrest.Matchers.startsWith("application/problem+json"))
                        .body("type", org.hamcrest.Matchers.equalTo("https://memos.dev/problems/not-configured"))
                        .body("field", org.hamcrest.Matchers.equalTo("memos.engine.model"));
            }
            // everything else works as before
            as(service, admin).get("/v1/cubes/" + cube).then().statusCode(200);
        }
    }

    @Test
    void a_model_that_cannot_load_leaves_the_service_up_and_says_why() throws Exception {
        Path dataDir = Scratch.directory("memos-bad-model");
        Path model = RandomModels.model(dataDir.resolve("tiny.gguf"), RandomModels.Shape.TINY);
        byte[] bytes = Files.readAllBytes(model);
        Path truncated = Files.write(dataDir.resolve("truncated.gguf"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        for (Map.Entry<String, String> bad : Map.of(dataDir.resolve("missing.gguf").toString(), "no model file",
                truncated.toString(), "truncated").entrySet()) {
            try (ServiceProcess service = new ServiceProcess(ServiceProcess.packagedJar(), dataDir,
                    Map.of("MEMOS_ENGINE_MODEL", bad.getKey()))) {
                service.start();
                String admin = Files.readString(dataDir.resolve("admin.key")).strip();
                as(service, admin).get("/v1/engine").then().statusCode(503)
                        .contentType(org.hamcrest.Matchers.startsWith("application/problem+json"))
                        .body("type", org.hamcrest.Matchers.equalTo("https://memos.dev/problems/unavailable"))
                        .body("detail", org.hamcrest.Matchers.containsString(bad.getValue()));
                as(service, admin).get("/v1/spaces").then().statusCode(200);
            }
        }
    }

    private static JsonPath chat(ServiceProcess service, String key, boolean activation) {
        return as(service, key).body(Map.of("messages", List.of(Map.of("role", "user", "content", "What does Kim do?")),
                "k", activation ? 0 : 1, "maxTokens", 12, "useActivation", activation, "mode", "keyword"))
                .post("/v1/spaces/kept/chat").then().statusCode(200).extract().jsonPath();
    }

    private static RequestSpecification as(ServiceProcess service, String key) {
        return RestAssured.given().baseUri(service.baseUri()).header("Authorization", "Bearer " + key)
                .contentType(ContentType.JSON);
    }
}
