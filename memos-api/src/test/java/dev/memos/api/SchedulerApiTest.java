package dev.memos.api;

import dev.memos.scheduler.policy.LifecyclePolicies;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static dev.memos.api.Api.as;
import static dev.memos.api.Api.problem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lifecycle policies as a user sees them: expired memories go, and the space's scheduler log says why. */
@QuarkusTest
class SchedulerApiTest {
    @Inject
    LifecyclePolicies policies;
    @Inject
    dev.memos.cubes.store.sql.SqlOutbox outbox;
    @Inject
    dev.memos.cubes.store.sql.JtaTransactions tx;

    @Test
    void an_expired_cube_is_deleted_by_the_ttl_policy_and_the_log_says_why() {
        String[] owner = Api.principal("ttl-owner");
        String[] outsider = Api.principal("ttl-outsider");
        String space = Api.space(owner[1]);
        String expiresAt = aMinuteAgo();
        String expired = expiring(owner[1], space, "the door code is 4711", expiresAt);
        String kept = Api.cube(owner[1], space, "the door is painted green");

        assertTrue(policies.runOnce().expired() >= 1);

        as(owner[1]).get("/v1/cubes/" + expired).then().statusCode(200).body("state", equalTo("DELETED"))
                .body("text", nullValue());
        as(owner[1]).get("/v1/cubes/" + kept).then().statusCode(200).body("state", equalTo("GENERATED"));
        as(owner[1]).get("/v1/spaces/" + space + "/scheduler/log").then().statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].cubeId", equalTo(expired))
                .body("items[0].type", equalTo("cube.deleted"))
                .body("items[0].policy", equalTo("ttl"))
                .body("items[0].to", equalTo("DELETED"))
                .body("items[0].reason", startsWith("expired at "))
                .body("items[0].inputs.expiresAt", equalTo(expiresAt));
        as(owner[1]).body(Map.of("query", "door code", "consistency", "read-your-writes"))
                .post("/v1/spaces/" + space + "/search").then().statusCode(200)
                .body("hits.cube.id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(expired)));

        problem(as(outsider[1]).get("/v1/spaces/" + space + "/scheduler/log").then(), 404, "not-found");
        problem(as(owner[1]).queryParam("limit", 0).get("/v1/spaces/" + space + "/scheduler/log").then(), 400, "invalid");
        problem(as(owner[1]).queryParam("cursor", "'; drop table outbox;--").get("/v1/spaces/" + space + "/scheduler/log")
                .then(), 400, "invalid");
    }

    @Test
    void the_log_query_itself_returns_nothing_to_a_principal_without_a_grant() {
        String[] owner = Api.principal("log-owner");
        String[] outsider = Api.principal("log-outsider");
        String space = Api.space(owner[1]);
        expiring(owner[1], space, "the gate code is 1234", aMinuteAgo());
        assertTrue(policies.runOnce().expired() >= 1);

        assertEquals(1, tx.inTransaction(() -> outbox.decisions(space, owner[0], null, 10)).size());
        assertEquals(0, tx.inTransaction(() -> outbox.decisions(space, outsider[0], null, 10)).size());
    }

    private static String aMinuteAgo() {
        return Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Writes a cube that expired at {@code expiresAt}; its id. */
    private static String expiring(String key, String space, String text, String expiresAt) {
        return as(key).body(Map.of("text", text, "expiresAt", expiresAt))
                .post("/v1/spaces/" + space + "/cubes").then().statusCode(201).extract().path("id");
    }
}
