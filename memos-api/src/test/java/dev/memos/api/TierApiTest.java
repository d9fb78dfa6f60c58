package dev.memos.api;

import dev.memos.testkit.gguf.RandomModels;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.memos.api.Api.as;
import static dev.memos.api.Api.problem;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The activation and parameter tiers and chat through the API, on a generated tiny model. */
@QuarkusTest
@QuarkusTestResource(TinyModelResource.class)
class TierApiTest {
    @Inject
    EntityManager em;

    @Inject
    dev.memos.kernel.engine.EngineProvider engines;

    static Map<String, Object> ask(String question, Object... more) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("messages",
                List.of(Map.of("role", "user", "content", question)), "maxTokens", 8));
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        return body;
    }

    static JsonPath chat(String key, String space, Map<String, Object> body) {
        return as(key).body(body).post("/v1/spaces/" + space + "/chat").then().statusCode(200).extract().jsonPath();
    }

    static String migrate(String key, String cube, int status) {
        return as(key).body(Map.of("tier", "ACTIVATION")).post("/v1/cubes/" + cube + "/migrate").then()
                .statusCode(status).body("tier", equalTo("ACTIVATION")).extract().path("id");
    }

    @Test
    void engine_reports_the_model() {
        as(Api.ADMIN_KEY).get("/v1/engine").then().statusCode(200)
                .body("modelName", equalTo("memos-tiny-random")).body("architecture", equalTo("llama"))
                .body("contextSize", equalTo(2048)).body("modelSha256", notNullValue());
    }

    @Test
    void migrate_to_activation_makes_one_cube_with_its_header_and_lineage() {
        String[] owner = Api.principal("tier-owner");
        String space = Api.space(owner[1]);
        String source = Api.cube(owner[1], space, "Carol is allergic to peanuts");
        String activation = migrate(owner[1], source, 201);
        assertEquals(activation, migrate(owner[1], source, 200), "the same version migrates once");

        JsonPath cube = as(owner[1]).get("/v1/cubes/" + activation).then().statusCode(200).extract().jsonPath();
        assertEquals("application/vnd.memos.kv-state", cube.getString("blob.mediaType"));
        assertEquals(source + "@1", cube.getString("blob.attributes.sources"));
        assertEquals("2048/f16", cube.getString("blob.attributes.context"));
        assertEquals("none", cube.getString("blob.attributes.adapters"));
        assertTrue(Integer.parseInt(cube.getString("blob.attributes.tokens")) > 10);
        assertEquals(List.of(source), cube.getList("provenance.derivedFrom"));
        assertEquals("MIGRATE", cube.getString("provenance.operation"));
        as(owner[1]).get("/v1/spaces/" + space + "/scheduler/log").then().statusCode(200)
                .body("items[0].cubeId", equalTo(activation)).body("items[0].type", equalTo("cube.created"))
                .body("items[0].policy", equalTo("migration"))
                .body("items[0].reason", containsString("compiled into activation memory"));

        JsonPath graph = LineageApiContract.lineage(owner[1], activation, "?direction=ancestors", 1);
        List<String> edges = graph.getList("edges", Map.class).stream()
                .map(e -> e.get("type") + "").toList();
        assertTrue(edges.contains("DERIVED_FROM"), edges.toString());
        JsonPath down = LineageApiContract.lineage(owner[1], source, "?direction=descendants", 1);
        assertTrue(down.getList("edges", Map.class).stream().anyMatch(e -> "MIGRATED_TO".equals(e.get("type"))));

        // a new version of the source compiles anew
        as(owner[1]).header("If-Match", "\"1\"").body(Map.of("text", "Carol is allergic to peanuts and shellfish"))
                .patch("/v1/cubes/" + source).then().statusCode(200);
        assertNotEquals(activation, migrate(owner[1], source, 201));
    }

    @Test
    void chat_restores_the_activation_cube_and_skips_its_prefill() {
        String[] owner = Api.principal("chat-owner");
        String space = Api.space(owner[1]);
        String a = Api.cube(owner[1], space, "Carol is allergic to peanuts");
        String b = Api.cube(owner[1], space, "Carol lives in Oslo");
        String activation = as(owner[1]).body(Map.of("cubes", List.of(a, b))).post("/v1/spaces/" + space + "/activation")
                .then().statusCode(201).body("tier", equalTo("ACTIVATION")).extract().path("id");

        JsonPath warm = chat(owner[1], space, ask("What is Carol allergic to?", "k", 0));
        assertNull(warm.getString("activationSkipped"));
        assertTrue(warm.getInt("timings.tokensRestored") > 10, "the memory block was restored");
        int restored = warm.getInt("timings.tokensRestored");
        List<Map<String, Object>> used = warm.getList("cubes");
        assertTrue(used.stream().anyMatch(u -> activation.equals(u.get("id")) && "ACTIVATION".equals(u.get("tier"))));
        assertTrue(used.stream().anyMatch(u -> a.equals(u.get("id")) && Integer.valueOf(1).equals(u.get("version"))));

        JsonPath cold = chat(owner[1], space, ask("What is Carol allergic to?", "k", 0, "useActivation", false));
        assertEquals(0, cold.getInt("timings.tokensRestored"));
        assertNotNull(cold.getString("activationSkipped"));
        assertTrue(cold.getInt("timings.tokensPrefilled") < warm.getInt("timings.tokensRestored")
                + warm.getInt("timings.tokensPrefilled"), "without the activation cube (and k 0) no memory is in the prompt");

        // with retrieval: the memories come from search; the activation still covers its two sources
        JsonPath both = chat(owner[1], space, ask("peanuts", "k", 3));
        assertEquals(restored, both.getInt("timings.tokensRestored"));

        // a changed source makes the activation stale: not restored, and the reason says so
        as(owner[1]).header("If-Match", "\"1\"").body(Map.of("text", "Carol lives in Bergen"))
                .patch("/v1/cubes/" + b).then().statusCode(200);
        JsonPath stale = chat(owner[1], space, ask("Where does Carol live?", "k", 0));
        assertEquals(0, stale.getInt("timings.tokensRestored"));
        assertTrue(stale.getString("activationSkipped").contains("stale"), stale.getString("activationSkipped"));
    }

    private static void assertNotNull(String value) {
        assertTrue(value != null && !value.isBlank());
    }

    @Test
    void deleting_a_source_deletes_its_activation_cubes_and_their_blob() {
        String[] owner = Api.principal("tier-delete");
        String space = Api.space(owner[1]);
        String source = Api.cube(owner[1], space, "Dan keeps bees");
        String activation = migrate(owner[1], source, 201);
        String sha = as(owner[1]).get("/v1/cubes/" + activation).then().extract().path("blob.sha256");
        assertEquals(1L, blobRows(sha));
        as(owner[1]).delete("/v1/cubes/" + source).then().statusCode(202);
        as(owner[1]).get("/v1/cubes/" + activation).then().statusCode(200).body("state", equalTo("DELETED"))
                .body("blob", org.hamcrest.Matchers.nullValue());
        assertEquals(0L, blobRows(sha), "the KV state is gone from the database");
    }

    long blobRows(String sha) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from blob_chunk where sha256 = ?1").setParameter(1, sha).getSingleResult()).longValue());
    }

    @Test
    void a_damaged_activation_blob_is_never_restored() {
        String[] owner = Api.principal("tier-damage");
        String space = Api.space(owner[1]);
        String source = Api.cube(owner[1], space, "Eve plays the cello");
        String activation = migrate(owner[1], source, 201);
        String sha = as(owner[1]).get("/v1/cubes/" + activation).then().extract().path("blob.sha256");
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "update blob_chunk set content = ?1 where sha256 = ?2 and seq = 0")
                .setParameter(1, new byte[]{1, 2, 3}).setParameter(2, sha).executeUpdate());
        JsonPath answer = chat(owner[1], space, ask("What does Eve play?", "k", 1));
        assertEquals(0, answer.getInt("timings.tokensRestored"));
        assertTrue(answer.getString("activationSkipped").contains("damaged"), answer.getString("activationSkipped"));
    }

    @Test
    void adapters_are_validated_before_anything_is_stored_and_applied_with_scales() {
        String[] owner = Api.principal("tier-adapter");
        String space = Api.space(owner[1]);
        String memory = Api.cube(owner[1], space, "Frank likes chess");
        byte[] lora = TinyModelResource.adapter(RandomModels.Shape.TINY, 11);
        String parameter = upload(owner[1], space, lora, "?name=chess&scale=0.5&derivedFrom=" + memory, 201)
                .body("tier", equalTo("PARAMETER")).body("blob.attributes.rank", equalTo("4"))
                .body("blob.attributes.scale", equalTo("0.5")).extract().path("id");
        upload(owner[1], space, lora, "", 200).body("id", equalTo(parameter));

        byte[] wider = TinyModelResource.adapter(new RandomModels.Shape("wider", 128, 2, 4, 2, 128, 0, 3), 12);
        problem(upload(owner[1], space, wider, "", 400), 400, "invalid")
                .body("detail", containsString("another base model"));
        problem(upload(owner[1], space, Arrays.copyOf(lora, lora.length - 64), "", 400), 400, "invalid")
                .body("detail", containsString("truncated"));
        problem(upload(owner[1], space, "not a model".getBytes(), "", 400), 400, "invalid")
                .body("detail", containsString("not a GGUF"));
        byte[] large = new byte[3 << 20]; // over the JSON limit of 1 MiB, within the adapter limit
        problem(upload(owner[1], space, large, "", 400), 400, "invalid").body("detail", containsString("not a GGUF"));
        problem(as(owner[1]).body(Map.of("text", "x".repeat(2 << 20))).post("/v1/spaces/" + space + "/cubes").then(),
                413, "payload-too-large");
        problem(upload(owner[1], space, lora, "?scale=99", 400), 400, "invalid");
        problem(upload(owner[1], space, lora, "?sha256=" + "0".repeat(64), 400), 400, "invalid")
                .body("detail", containsString("damaged"));
        assertEquals(1, as(owner[1]).get("/v1/spaces/" + space + "/cubes").then().extract().jsonPath()
                .getList("items.findAll { it.tier == 'PARAMETER' }").size(), "refused adapters stored nothing");

        JsonPath applied = chat(owner[1], space, ask("chess?", "k", 0));
        assertTrue(applied.getList("cubes", Map.class).stream().anyMatch(u -> parameter.equals(u.get("id"))
                && Float.valueOf(0.5f).equals(((Number) u.get("scale")).floatValue())));
        JsonPath zero = chat(owner[1], space, ask("chess?", "k", 0, "adapters", List.of(Map.of("cube", parameter, "scale", 0))));
        JsonPath none = chat(owner[1], space, ask("chess?", "k", 0, "adapters", List.of()));
        assertEquals(none.getString("answer"), zero.getString("answer"), "scale 0 answers as the base model");

        LineageApiContract.lineage(owner[1], parameter, "?direction=ancestors", 1);
    }

    static io.restassured.response.ValidatableResponse upload(String key, String space, byte[] body, String query, int status) {
        return RestAssured.given().header("Authorization", "Bearer " + key).contentType("application/octet-stream")
                .body(body).post("/v1/spaces/" + space + "/adapters" + query).then().statusCode(status);
    }

    @Test
    void other_tenants_are_refused_everywhere() {
        String[] owner = Api.principal("tier-tenant-a");
        String[] other = Api.principal("tier-tenant-b");
        String space = Api.space(owner[1]);
        String source = Api.cube(owner[1], space, "Gina's PIN is 1234");
        String activation = migrate(owner[1], source, 201);
        problem(as(other[1]).body(Map.of("tier", "ACTIVATION")).post("/v1/cubes/" + source + "/migrate").then(), 404, "not-found");
        problem(as(other[1]).body(ask("PIN?")).post("/v1/spaces/" + space + "/chat").then(), 404, "not-found");
        problem(as(other[1]).body(Map.of("cubes", List.of(source))).post("/v1/spaces/" + space + "/activation").then(),
                404, "not-found");
        problem(upload(other[1], space, TinyModelResource.adapter(RandomModels.Shape.TINY, 1), "", 404), 404, "not-found");
        // the other tenant's own space cannot compile or apply the owner's cubes
        String theirs = Api.space(other[1]);
        problem(as(other[1]).body(Map.of("cubes", List.of(source))).post("/v1/spaces/" + theirs + "/activation").then(),
                400, "invalid");
        problem(as(other[1]).body(ask("PIN?", "adapters", List.of(Map.of("cube", activation))))
                .post("/v1/spaces/" + theirs + "/chat").then(), 404, "not-found");
        problem(as(other[1]).body(Map.of("model", "memos/" + space, "messages", List.of(Map.of("role", "user", "content", "PIN?"))))
                .post("/v1/chat/completions").then(), 404, "not-found");
    }

    @Test
    void bad_requests_are_problems_and_change_nothing() {
        String[] owner = Api.principal("tier-bad");
        String space = Api.space(owner[1]);
        String source = Api.cube(owner[1], space, "Hal drives a tram");
        problem(as(owner[1]).body(Map.of("tier", "PLAINTEXT")).post("/v1/cubes/" + source + "/migrate").then(), 400, "invalid");
        problem(as(owner[1]).body(Map.of("tier", "PARAMETER")).post("/v1/cubes/" + source + "/migrate").then(), 409, "conflict")
                .body("detail", containsString("distill"));
        problem(as(owner[1]).body(Map.of()).post("/v1/cubes/" + source + "/migrate").then(), 400, "invalid");
        problem(as(owner[1]).body(Map.of("tier", "SIDEWAYS")).post("/v1/cubes/" + source + "/migrate").then(), 400, "invalid-json");
        problem(as(owner[1]).body(Map.of("cubes", List.of())).post("/v1/spaces/" + space + "/activation").then(), 400, "invalid");
        problem(as(owner[1]).body(ask("x".repeat(12_000), "k", 0)).post("/v1/spaces/" + space + "/chat").then(), 400, "invalid")
                .body("detail", containsString("context"));
        problem(as(owner[1]).body(ask("hi", "maxTokens", 0)).post("/v1/spaces/" + space + "/chat").then(), 400, "invalid");
        problem(as(owner[1]).body(ask("hi", "temperature", -1)).post("/v1/spaces/" + space + "/chat").then(), 400, "invalid");
        problem(as(owner[1]).body(Map.of("messages", List.of(Map.of("role", "assistant", "content", "hi"))))
                .post("/v1/spaces/" + space + "/chat").then(), 400, "invalid");
        problem(as(owner[1]).body(Map.of("messages", List.of(Map.of("role", "user", "content", "hi")), "bogus", 1))
                .post("/v1/spaces/" + space + "/chat").then(), 400, "unknown-field");
        problem(as(owner[1]).body(Map.of("messages", List.of(Map.of("role", "user", "content", "hi"))))
                .post("/v1/chat/completions").then(), 400, "invalid");
        as(owner[1]).get("/v1/spaces/" + space + "/cubes").then().statusCode(200)
                .body("items.size()", equalTo(1));
    }

    @Test
    void remembered_exchanges_are_message_cubes_written_once() {
        String[] owner = Api.principal("tier-remember");
        String space = Api.space(owner[1]);
        Api.cube(owner[1], space, "Ida sings in a choir");
        JsonPath first = chat(owner[1], space, ask("Who sings?", "k", 1, "remember", true, "idempotencyKey", "turn-1"));
        JsonPath again = chat(owner[1], space, ask("Who sings?", "k", 1, "remember", true, "idempotencyKey", "turn-1"));
        assertEquals(first.getList("remembered"), again.getList("remembered"));
        as(owner[1]).get("/v1/spaces/" + space + "/cubes?kind=message").then().statusCode(200)
                .body("items.size()", equalTo(first.getList("remembered").size()))
                .body("items.text", hasItem("Who sings?"));
    }

    @Test
    void openai_compatible_completions_answer_and_stream() {
        String[] owner = Api.principal("tier-openai");
        String space = Api.space(owner[1]);
        Api.cube(owner[1], space, "Jon collects stamps");
        Map<String, Object> request = Map.of("model", "memos/" + space, "max_tokens", 6, "temperature", 0,
                "messages", List.of(Map.of("role", "user", "content", "What does Jon collect?")),
                "presence_penalty", 0);
        JsonPath answer = as(owner[1]).body(request).post("/v1/chat/completions").then().statusCode(200)
                .body("object", equalTo("chat.completion")).body("choices[0].message.role", equalTo("assistant"))
                .body("usage.prompt_tokens", greaterThan(10)).extract().jsonPath();
        String text = answer.getString("choices[0].message.content");

        Map<String, Object> streamed = new java.util.HashMap<>(request);
        streamed.put("stream", true);
        String events = as(owner[1]).body(streamed).post("/v1/chat/completions").then().statusCode(200)
                .contentType(containsString("text/event-stream")).extract().asString();
        assertTrue(events.trim().endsWith("data: [DONE]"), events);
        StringBuilder joined = new StringBuilder();
        for (String line : events.split("\n")) {
            if (line.startsWith("data: {")) {
                JsonPath chunk = JsonPath.from(line.substring(6));
                String piece = chunk.getString("choices[0].delta.content");
                joined.append(piece == null ? "" : piece);
            }
        }
        assertEquals(text, joined.toString(), "the streamed deltas make up the answer");

        String own = as(owner[1]).body(ask("What does Jon collect?", "maxTokens", 6, "stream", true))
                .post("/v1/spaces/" + space + "/chat").then().statusCode(200).extract().asString();
        assertTrue(own.contains("event: done"), own);
    }

    @Test
    void distillation_exports_stable_memories_and_an_adapter_links_to_the_exported_versions() {
        String[] owner = Api.principal("tier-distill");
        String[] outsider = Api.principal("tier-distill-out");
        String space = Api.space(owner[1]);
        String a = as(owner[1]).body(Map.of("text", "Olga knits", "tags", List.of("hobby"))).post("/v1/spaces/" + space
                + "/cubes").then().statusCode(201).extract().path("id");
        String b = Api.cube(owner[1], space, "Olga moved to Riga");
        as(owner[1]).post("/v1/cubes/" + b + "/invalidate").then().statusCode(200);

        JsonPath fresh = as(owner[1]).body(Map.of()).post("/v1/spaces/" + space + "/distill").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(0, fresh.getList("examples").size(), "nothing is a week old yet");
        JsonPath set = as(owner[1]).body(Map.of("minAge", "PT0S")).post("/v1/spaces/" + space + "/distill").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(List.of(a + "@1"), set.getList("cubes"), "the invalidated fact is not stable");
        assertEquals("What do you remember about hobby?", set.getString("examples[0].messages[1].content"));
        assertEquals("Olga knits", set.getString("examples[0].messages[2].content"));
        assertEquals(16, set.getString("id").length());

        problem(as(owner[1]).body(Map.of("minAge", "a week")).post("/v1/spaces/" + space + "/distill").then(), 400, "invalid");
        problem(as(owner[1]).body(Map.of("limit", 0)).post("/v1/spaces/" + space + "/distill").then(), 400, "invalid");
        problem(as(owner[1]).body(Map.of("limit", 257)).post("/v1/spaces/" + space + "/distill").then(), 400, "invalid");
        problem(as(outsider[1]).body(Map.of()).post("/v1/spaces/" + space + "/distill").then(), 404, "not-found");

        as(owner[1]).header("If-Match", "\"1\"").body(Map.of("text", "Olga knits and spins"))
                .patch("/v1/cubes/" + a).then().statusCode(200);
        byte[] lora = TinyModelResource.adapter(RandomModels.Shape.TINY, 21);
        problem(upload(owner[1], space, lora, "?derivedFrom=" + a + "@3", 400), 400, "invalid");
        problem(upload(owner[1], space, lora, "?derivedFrom=" + a + "@x", 400), 400, "invalid");
        String parameter = upload(owner[1], space, lora, "?derivedFrom=" + a + "@1", 201).extract().path("id");
        JsonPath graph = LineageApiContract.lineage(owner[1], parameter, "?direction=ancestors&depth=1", 1);
        assertTrue(graph.getList("edges", Map.class).stream().anyMatch(e -> "DERIVED_FROM".equals(e.get("type"))
                && (a + "@1").equals(e.get("to"))), graph.prettify());
    }

    @Test
    void contradicted_facts_are_invalidated_as_the_engine_judges_with_reason_and_lineage() {
        String[] owner = Api.principal("tier-contradict");
        String space = Api.space(owner[1]);
        List<String> olds = List.of("Pia lives in Rome", "Pia lives in Lima", "Pia lives in Oslo", "Pia lives in Kyiv",
                "Pia lives in Pune", "Pia lives in Baku");
        Map<String, String> ids = new java.util.LinkedHashMap<>();
        olds.forEach(text -> ids.put(Api.cube(owner[1], space, text), text));
        String fresh = Api.cube(owner[1], space, "Pia lives in Riga now");
        JsonPath verdicts = as(owner[1]).body(Map.of("candidates", 10)).post("/v1/cubes/" + fresh + "/contradictions")
                .then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> all = verdicts.getList("verdicts");
        assertEquals(olds.size(), all.size(), "every other live fact of the space was judged");
        for (Map<String, Object> v : all) {
            String id = (String) v.get("cube");
            boolean contradicted = (Boolean) v.get("contradicted");
            assertEquals(dev.memos.kernel.Contradictions.contradicts(engines.require(), ids.get(id),
                    "Pia lives in Riga now"), contradicted, "the endpoint acts on the engine's own answer");
            JsonPath cube = as(owner[1]).get("/v1/cubes/" + id).then().statusCode(200).extract().jsonPath();
            assertEquals(contradicted, "INVALIDATE".equals(cube.getString("provenance.operation")), id);
            assertEquals(contradicted ? 2 : 1, cube.getInt("version"), "an invalidation is a version of its own");
            if (contradicted) {
                JsonPath graph = LineageApiContract.lineage(owner[1], id, "?direction=both&depth=1", 1);
                assertTrue(graph.getList("edges", Map.class).stream().anyMatch(e -> "CONTRADICTS".equals(e.get("type"))
                        && (fresh + "@1").equals(e.get("from")) && (id + "@1").equals(e.get("to"))), graph.prettify());
            }
        }
        problem(as(owner[1]).body(Map.of("candidates", 0)).post("/v1/cubes/" + fresh + "/contradictions").then(), 400, "invalid");
        String[] other = Api.principal("tier-contradict-other");
        problem(as(other[1]).body(Map.of()).post("/v1/cubes/" + fresh + "/contradictions").then(), 404, "not-found");
    }
}
