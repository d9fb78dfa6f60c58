package dev.memos.api;

import dev.memos.cubes.embed.Vectors;
import dev.memos.cubes.store.sql.JtaTransactions;
import dev.memos.cubes.store.sql.SqlCubeStore;
import dev.memos.kernel.MemoryKernel;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.spi.SearchIndex;
import dev.memos.scheduler.policy.LifecyclePolicies;
import dev.memos.scheduler.policy.NearDuplicates;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.memos.api.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Near-duplicate consolidation with the real embedding model and index: rewordings that add nothing are
 * fused (keeping the most complete wording); facts that read alike but differ are left alone.
 */
@QuarkusTest
class ConsolidationApiTest {
    @Inject
    MemoryKernel kernel;
    @Inject
    SqlCubeStore cubes;
    @Inject
    dev.memos.cubes.store.sql.SqlPolicyQueries queries;
    @Inject
    JtaTransactions tx;
    @Inject
    SearchIndex index;

    @Test
    void near_duplicates_are_fused_and_different_facts_are_not() {
        String[] owner = Api.principal("consolidation-owner");
        String space = Api.space(owner[1]);
        Map<String, String> ids = new LinkedHashMap<>();
        for (String text : List.of("Alice prefers green tea", "alice prefers green tea!",
                "Alice really prefers green tea very much", "Bob lives in Paris", "Bob lives in Berlin",
                "The team meeting is at 10am on Monday", "The team meeting is at 11am on Monday",
                "Dan likes jazz", "Dan enjoys jazz music")) {
            ids.put(text, Api.cube(owner[1], space, text));
        }
        as(owner[1]).body(Map.of("query", "tea", "consistency", "read-your-writes")).post("/v1/spaces/" + space + "/search")
                .then().statusCode(200);
        List<String> texts = List.copyOf(ids.keySet());
        for (int i = 0; i + 1 < texts.size(); i++) {
            float[] a = index.vector(CubeId.parse(ids.get(texts.get(i)))).orElseThrow();
            float[] b = index.vector(CubeId.parse(ids.get(texts.get(i + 1)))).orElseThrow();
            System.out.printf("cosine %.3f  \"%s\" ~ \"%s\"%n", Vectors.dot(a, b), texts.get(i), texts.get(i + 1));
        }

        LifecyclePolicies policies = new LifecyclePolicies(kernel.decisions(), queries, cubes, tx, Clock.systemUTC(),
                new LifecyclePolicies.Settings(false, false, Duration.ofDays(30), true, Duration.ofMinutes(1), 200),
                new NearDuplicates(cubes, index, tx, 0.9));
        // the scan covers every space of this shared test database, a budget's worth each run
        for (int run = 0; run < 20 && !"MERGED".equals(as(owner[1]).get("/v1/cubes/" + ids.get("Alice prefers green tea"))
                .then().extract().path("state")); run++) {
            policies.runOnce();
        }

        for (String text : List.of("Alice prefers green tea", "alice prefers green tea!", "Alice really prefers green tea very much")) {
            as(owner[1]).get("/v1/cubes/" + ids.get(text)).then().statusCode(200)
                    .body("state", org.hamcrest.Matchers.equalTo("MERGED"));
        }
        for (String text : List.of("Bob lives in Paris", "Bob lives in Berlin", "The team meeting is at 10am on Monday",
                "The team meeting is at 11am on Monday", "Dan likes jazz", "Dan enjoys jazz music")) {
            as(owner[1]).get("/v1/cubes/" + ids.get(text)).then().statusCode(200)
                    .body("state", org.hamcrest.Matchers.equalTo("GENERATED"));
        }
        JsonPath live = as(owner[1]).queryParam("state", "generated").get("/v1/spaces/" + space + "/cubes").then()
                .statusCode(200).extract().jsonPath();
        assertTrue(live.getList("items.text").contains("Alice really prefers green tea very much"), live.prettify());
        String fused = live.getString("items.find { it.text == 'Alice really prefers green tea very much' }.id");
        assertEquals(3, live.getList("items.find { it.id == '" + fused + "' }.provenance.derivedFrom").size());

        JsonPath log = as(owner[1]).get("/v1/spaces/" + space + "/scheduler/log").then().statusCode(200).extract().jsonPath();
        String reason = log.getString("items.find { it.cubeId == '" + ids.get("Alice prefers green tea") + "' }.reason");
        assertTrue(reason.startsWith("near-duplicates: cosine similarity"), log.prettify());
        // another run leaves the fused cube and the different facts alone
        policies.runOnce();
        assertEquals(7, as(owner[1]).queryParam("state", "generated").get("/v1/spaces/" + space + "/cubes").then()
                .extract().jsonPath().getList("items").size());
    }
}
