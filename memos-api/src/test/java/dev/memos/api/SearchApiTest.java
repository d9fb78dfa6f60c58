package dev.memos.api;

import java.time.Duration;
import org.awaitility.Awaitility;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.memos.api.Api.ADMIN_KEY;
import static dev.memos.api.Api.as;
import static dev.memos.api.Api.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/** Retrieval over HTTP with the real embedding model and index. */
@QuarkusTest
class SearchApiTest {
    @jakarta.inject.Inject
    dev.memos.scheduler.usage.UsageRecorder usage;

    private String key;
    private String space;

    @BeforeEach
    void setUp() {
        key = Api.principal("searcher")[1];
        space = Api.space(key);
        for (String text : List.of("Alice prefers green tea in the morning", "Bob moved to Berlin in March 2025",
                "The team meets every Tuesday at ten", "Carol is allergic to peanuts")) {
            Api.cube(key, space, text);
        }
    }

    String key() {
        return key;
    }

    private io.restassured.response.ValidatableResponse search(String k, String path, Map<String, Object> body) {
        return as(k).body(body).post(path).then();
    }

    private Map<String, Object> query(String text, Object... more) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("query", text, "consistency", "read-your-writes"));
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        return body;
    }

    @Test
    void a_just_written_memory_is_found_with_read_your_writes() {
        search(key, "/v1/spaces/" + space + "/search", query("What does Alice drink?", "k", 1, "explain", true))
                .statusCode(200)
                .body("hits", hasSize(1))
                .body("hits[0].cube.text", equalTo("Alice prefers green tea in the morning"))
                .body("hits[0].score", greaterThan(0f))
                .body("hits[0].explanation.fused", notNullValue())
                .body("hits[0].explanation.vectorRank", equalTo(1));
    }

    @Test
    void a_turn_is_found_by_the_words_of_its_session_neighbours_and_a_named_subject_lifts_its_memories() {
        for (String[] turn : new String[][] {{"Melanie", "I signed up for a pottery class yesterday"},
                {"Caroline", "That is wonderful, how often do you go?"}, {"Melanie", "Every Saturday morning, without fail"}}) {
            as(key).body(Map.of("text", turn[0] + ": " + turn[1], "kind", "message", "sessionId", "chat-7",
                    "subject", turn[0])).post("/v1/spaces/" + space + "/cubes").then().statusCode(201);
        }
        // no cube's own text says pottery but the first; the third's window (the two before it) does
        search(key, "/v1/spaces/" + space + "/search", query("pottery", "mode", "keyword", "k", 5, "explain", true))
                .statusCode(200)
                .body("hits.cube.text", hasItem("Melanie: Every Saturday morning, without fail"))
                .body("hits.find { it.cube.text.startsWith('Melanie: Every') }.explanation.keywordRank", equalTo(null))
                .body("hits.find { it.cube.text.startsWith('Melanie: Every') }.explanation.contextKeywordRank", notNullValue());
        search(key, "/v1/spaces/" + space + "/search", query("When does Melanie go?", "k", 5, "explain", true))
                .statusCode(200)
                .body("hits.find { it.cube.governance.subject == 'Melanie' }.explanation.subjectBoost", equalTo(1.0f))
                .body("hits.find { it.cube.governance.subject == 'Caroline' }.explanation.subjectBoost", equalTo(0.0f));
        // the windows' own embeddings follow when the indexer is idle; the lag tells when none is left
        Awaitility.await("every window of the session embedded").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> as(key).get("/v1/spaces/" + space + "/search/lag").then().statusCode(200)
                        .extract().<Integer>path("pendingWindows"), pending -> pending == 0);
        as(ADMIN_KEY).get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("memos_index_windows_pending"));
    }


    @Test
    void each_mode_finds_by_its_own_means() {
        search(key, "/v1/spaces/" + space + "/search", query("peanuts", "mode", "keyword", "k", 5))
                .statusCode(200).body("hits.cube.text", contains("Carol is allergic to peanuts"));
        search(key, "/v1/spaces/" + space + "/search", query("food allergy", "mode", "vector", "k", 1))
                .statusCode(200).body("hits[0].cube.text", equalTo("Carol is allergic to peanuts"));
    }

    @Test
    void search_never_leaks_another_space_or_a_deleted_cube() {
        String other = Api.principal("other")[1];
        String otherSpace = Api.space(other);
        Api.cube(other, otherSpace, "Alice secretly prefers strong black coffee");
        search(key, "/v1/search", query("Alice coffee tea drink", "k", 20)).statusCode(200)
                .body("hits.cube.space", everyItem(equalTo(space)));
        problem(search(key, "/v1/spaces/" + otherSpace + "/search", query("coffee")), 404, "not-found");
        search(other, "/v1/search", query("tea", "k", 20)).body("hits.cube.space", everyItem(equalTo(otherSpace)));

        String doomed = Api.cube(key, space, "Dave hides the spare key under the flower pot");
        search(key, "/v1/spaces/" + space + "/search", query("spare key flower pot", "k", 3))
                .body("hits.cube.id", hasItem(doomed));
        as(key).delete("/v1/cubes/" + doomed).then().statusCode(202);
        search(key, "/v1/spaces/" + space + "/search", query("spare key flower pot", "k", 10))
                .body("hits.cube.id", not(hasItem(doomed)));
    }

    @Test
    void updates_replace_archived_and_invalidated_cubes_drop_out() {
        String id = Api.cube(key, space, "Erin works at Initech");
        as(key).header("If-Match", "\"1\"").body(Map.of("text", "Erin works at Globex")).patch("/v1/cubes/" + id)
                .then().statusCode(200);
        search(key, "/v1/spaces/" + space + "/search", query("Initech", "mode", "keyword")).body("hits", empty());
        search(key, "/v1/spaces/" + space + "/search", query("Globex", "mode", "keyword")).body("hits.cube.id", contains(id));

        as(key).body(Map.of("validTo", "2025-01-01T00:00:00Z")).post("/v1/cubes/" + id + "/invalidate").then().statusCode(200);
        search(key, "/v1/spaces/" + space + "/search", query("Globex", "mode", "keyword")).body("hits", empty());
        search(key, "/v1/spaces/" + space + "/search", query("Globex", "mode", "keyword",
                "filters", Map.of("validAt", "2024-06-01T00:00:00Z"))).body("hits.cube.id", contains(id));

        String archived = Api.cube(key, space, "Frank collects vintage typewriters");
        as(key).body(Map.of("to", "ACTIVATED")).post("/v1/cubes/" + archived + "/transitions").then().statusCode(200);
        as(key).body(Map.of("to", "ARCHIVED")).post("/v1/cubes/" + archived + "/transitions").then().statusCode(200);
        search(key, "/v1/spaces/" + space + "/search", query("typewriters", "mode", "keyword")).body("hits", empty());
        search(key, "/v1/spaces/" + space + "/search", query("typewriters", "mode", "keyword",
                "filters", Map.of("states", List.of("ARCHIVED")))).body("hits.cube.id", contains(archived));
    }

    @Test
    void filters_narrow_the_hits() {
        as(key).body(Map.of("text", "Grace likes jazz concerts", "kind", "preference", "tags", List.of("music"),
                "sensitivity", List.of("personal"))).post("/v1/spaces/" + space + "/cubes").then().statusCode(201);
        search(key, "/v1/spaces/" + space + "/search", query("jazz", "filters", Map.of("kinds", List.of("preference"))))
                .body("hits.cube.text", contains("Grace likes jazz concerts"));
        search(key, "/v1/spaces/" + space + "/search", query("jazz", "filters", Map.of("kinds", List.of("event"))))
                .body("hits", empty());
        search(key, "/v1/spaces/" + space + "/search", query("jazz", "filters", Map.of("excludeSensitivity", List.of("personal"))))
                .body("hits.cube.text", not(hasItem("Grace likes jazz concerts")));
    }

    @Test
    void event_time_filters_and_a_time_the_query_names_narrow_or_lift_the_hits() {
        String path = "/v1/spaces/" + space + "/search";
        String may = null;
        for (String[] memory : new String[][] {{"Ivan went hiking in the Alps", "2023-05-06T10:00:00Z"},
                {"Ivan went hiking in Norway", "2023-08-12T10:00:00Z"}, {"Ivan went hiking in Wales", "2022-05-20T10:00:00Z"}}) {
            String id = as(key).body(Map.of("text", memory[0], "validFrom", memory[1])).post(path.replace("search", "cubes"))
                    .then().statusCode(201).extract().path("id");
            may = may == null ? id : may;
        }
        Map<String, Object> summer = Map.of("eventFrom", "2023-06-01T00:00:00Z", "eventTo", "2023-09-01T00:00:00Z");
        search(key, path, query("Where did Ivan go hiking?", "filters", summer))
                .statusCode(200).body("hits.cube.text", contains("Ivan went hiking in Norway"));
        // "in May 2023": a filter keeps only that month, a boost puts it first and keeps the rest
        search(key, path, query("Where did Ivan go hiking in May 2023?", "time", "filter"))
                .statusCode(200).body("hits.cube.text", contains("Ivan went hiking in the Alps"))
                .body("time.expression", equalTo("May 2023")).body("time.from", equalTo("2023-05-01T00:00:00Z"))
                .body("time.to", equalTo("2023-06-01T00:00:00Z")).body("time.use", equalTo("FILTER"));
        search(key, path, query("Where did Ivan go hiking in May 2023?", "time", "boost", "explain", true))
                .statusCode(200).body("hits[0].cube.id", equalTo(may)).body("hits[0].explanation.timeBoost", equalTo(1.0f))
                .body("hits.cube.text", hasItem("Ivan went hiking in Norway"));
        // relative to the conversation's own time: "last month" on 2023-09-03 is August 2023
        search(key, path, query("Where did Ivan hike last month?", "time", "filter", "timeReference", "2023-09-03T12:00:00Z"))
                .statusCode(200).body("hits.cube.text", contains("Ivan went hiking in Norway"));
        search(key, path, query("Where did Ivan hike in May 2023?", "time", "off"))
                .statusCode(200).body("time", equalTo(null)).body("hits.cube.text", hasItem("Ivan went hiking in Wales"));
        // a named time outside the filters' range finds nothing, without error
        search(key, path, query("hiking in May 2023", "time", "filter", "filters", summer)).statusCode(200).body("hits", empty());

        problem(search(key, path, query("x", "filters", Map.of("eventFrom", "2023-06-01T00:00:00Z",
                "eventTo", "2023-05-01T00:00:00Z"))), 400, "invalid").body("field", equalTo("eventTo"));
        problem(search(key, path, query("x", "filters", Map.of("eventFrom", "last week"))), 400, "invalid-json");
        problem(search(key, path, query("x", "time", "sometimes")), 400, "invalid-json").body("field", equalTo("time"));
        problem(search(key, path, query("x", "timeReference", "now")), 400, "invalid-json");
    }

    @Test
    void hits_and_reads_count_as_accesses() {
        String id = Api.cube(key, space, "Heidi's birthday is on the fourth of July");
        usage.flush();
        search(key, "/v1/spaces/" + space + "/search", query("Heidi birthday", "k", 1)).body("hits[0].cube.id", equalTo(id));
        usage.flush();
        // A read shows the usage before it; it counts itself once the recorder flushes.
        as(key).get("/v1/cubes/" + id).then().body("usage.accessCount", equalTo(1)).body("usage.heat", greaterThan(0f));
        usage.flush();
        as(key).get("/v1/cubes/" + id).then().body("usage.accessCount", equalTo(2));
        as(key).get("/v1/cubes/" + id + "/versions/1").then().statusCode(200); // reading an old version is not a use
        usage.flush();
        as(key).get("/v1/cubes/" + id).then().body("usage.accessCount", equalTo(3));
    }

    @Test
    void bad_queries_are_400_problems() {
        String path = "/v1/spaces/" + space + "/search";
        problem(search(key, path, Map.of("query", "")), 400, "invalid").body("field", equalTo("query"));
        problem(search(key, path, Map.of("k", 3)), 400, "invalid").body("field", equalTo("query"));
        problem(search(key, path, Map.of("query", "x", "k", 100_000)), 400, "invalid").body("field", equalTo("k"));
        problem(search(key, path, Map.of("query", "x", "k", 0)), 400, "invalid").body("field", equalTo("k"));
        problem(search(key, path, Map.of("query", "x", "mode", "telepathic")), 400, "invalid-json").body("field", equalTo("mode"));
        problem(search(key, path, Map.of("query", "x", "filters", Map.of("states", List.of("DELETED")))), 400, "invalid")
                .body("field", equalTo("states"));
        problem(search(key, path, Map.of("query", "x", "filters", Map.of("validAt", "soon"))), 400, "invalid-json");
        problem(search(key, path, Map.of("query", "x", "filters", Map.of("colour", "red"))), 400, "unknown-field");
        problem(search(key, path, Map.of("query", "x", "consistency", "strong")), 400, "invalid")
                .body("field", equalTo("consistency"));
        problem(search(key, path, Map.of("query", "x".repeat(3000))), 400, "invalid").body("field", equalTo("query"));
        for (Object wait : List.of(0, -5, 60_001, Integer.MAX_VALUE)) {
            problem(search(key, path, query("x", "waitMs", wait)), 400, "invalid").body("field", equalTo("waitMs"));
        }
        problem(search(key, path, Map.of("query", "x", "waitMs", 1000)), 400, "invalid").body("field", equalTo("waitMs"));
        problem(search(key, path, query("x", "waitMs", "soon")), 400, "invalid-json");
    }

    @Test
    void the_index_lag_of_a_space_is_reported_to_its_readers_only() {
        search(key, "/v1/spaces/" + space + "/search", query("Carol")).statusCode(200);
        as(key).get("/v1/spaces/" + space + "/search/lag").then().statusCode(200)
                .body("space", equalTo(space)).body("pendingEvents", equalTo(0)).body("lagMs", equalTo(0))
                .body("oldestPendingAt", equalTo(null));
        String other = Api.principal("lagless")[1];
        problem(as(other).get("/v1/spaces/" + space + "/search/lag").then(), 404, "not-found");
        problem(as(key).get("/v1/spaces/" + "Bad Name!" + "/search/lag").then(), 400, "invalid");
        System.gc(); // a gauge whose object only the gauge holds (weakly) would read NaN from here on
        as(ADMIN_KEY).get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.matchesPattern("(?s).*\nmemos_index_pending_events [0-9.E-]+\n.*"))
                .body(org.hamcrest.Matchers.matchesPattern("(?s).*\nmemos_index_lag_seconds [0-9.E-]+\n.*"));
    }

    @Test
    void a_read_your_writes_search_may_choose_how_long_it_waits() {
        search(key, "/v1/spaces/" + space + "/search", query("Carol peanuts", "waitMs", 60_000, "k", 1)).statusCode(200)
                .body("hits[0].cube.text", equalTo("Carol is allergic to peanuts"));
    }

    @Test
    void query_syntax_is_just_words() {
        search(key, "/v1/spaces/" + space + "/search", query("peanuts) OR text:* AND \" [* TO *] ^3 ~", "mode", "keyword"))
                .statusCode(200).body("hits.cube.text", contains("Carol is allergic to peanuts"));
    }

    @Test
    void only_administrators_operate_the_index() throws InterruptedException {
        problem(as(key).post("/v1/admin/index/rebuild").then(), 403, "forbidden");
        problem(as(key).get("/v1/admin/index/check").then(), 403, "forbidden");
        problem(as(key).post("/v1/admin/index/optimize").then(), 403, "forbidden");
        problem(as(ADMIN_KEY).post("/v1/admin/index/optimize?segments=0").then(), 400, "invalid");
        problem(as(ADMIN_KEY).post("/v1/admin/index/optimize?segments=many").then(), 400, "invalid");
        as(ADMIN_KEY).post("/v1/admin/index/optimize").then().statusCode(200)
                .body("segmentsAfter", org.hamcrest.Matchers.lessThanOrEqualTo(1));
        search(key, "/v1/spaces/" + space + "/search", query("peanuts", "mode", "keyword"))
                .body("hits.cube.text", contains("Carol is allergic to peanuts"));
        Awaitility.await("the index catches up with the database").atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> as(ADMIN_KEY).get("/v1/admin/index/check").then().statusCode(200).extract()
                        .<List<?>>path("missing"), List::isEmpty);
        as(ADMIN_KEY).post("/v1/admin/index/rebuild").then().statusCode(200).body("indexed", greaterThan(0));
        search(key, "/v1/spaces/" + space + "/search", query("peanuts", "mode", "keyword"))
                .body("hits.cube.text", contains("Carol is allergic to peanuts"));
    }
}
