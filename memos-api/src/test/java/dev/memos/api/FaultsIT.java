package dev.memos.api;

import dev.memos.testkit.Scratch;
import dev.memos.testkit.ServiceProcess;
import dev.memos.testkit.servers.KafkaBroker;
import dev.memos.testkit.servers.Neo4jServer;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.memos.api.Services.as;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged service (PostgreSQL build) on a real PostgreSQL, Kafka broker and Neo4j server while each of them goes
 * down and comes back, with a writer writing throughout: every write answers 201 (and stays) or 503 problem+json,
 * never 500; reads that need only what is up keep working; afterwards everything catches up: the writes made while
 * Kafka was down become searchable and reach the topic (at least once; no cube twice), the lineage recorded while
 * Neo4j was down reaches
 * the graph, and writes succeed again once PostgreSQL is back. What an operator sees is printed (and documented in
 * docs/operations.md, "Faults").
 */
class FaultsIT {
    private static final String ADMIN = "faults-it-admin-key-0123456789abcdef";
    private static final Path POSTGRES_SCRIPT = Path.of("..", "scripts", "postgres.sh").toAbsolutePath().normalize();

    /** Writes one cube at a time until stopped; remembers each answer's status and each acknowledged cube. */
    private static final class Writer implements AutoCloseable {
        private final ServiceProcess service;
        private final AtomicBoolean running = new AtomicBoolean(true);
        final Map<Integer, Integer> statuses = Collections.synchronizedMap(new TreeMap<>());
        final List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
        final List<String> notProblems = Collections.synchronizedList(new ArrayList<>());
        private final Thread thread;

        Writer(ServiceProcess service) {
            this.service = service;
            this.thread = Thread.ofPlatform().name("faults-writer").start(this::run);
        }

        private void run() {
            for (int i = 0; running.get(); i++) {
                ExtractableResponse<Response> answer = as(service, ADMIN).body(Map.of("text", "steady note " + i))
                        .post("/v1/spaces/faults/cubes").then().extract();
                statuses.merge(answer.statusCode(), 1, Integer::sum);
                if (answer.statusCode() == 201) {
                    acknowledged.add(answer.path("id"));
                } else if (!String.valueOf(answer.contentType()).startsWith("application/problem+json")) {
                    notProblems.add(answer.statusCode() + " " + answer.contentType() + " " + answer.asString());
                }
                pause(50);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(TimeUnit.MINUTES.toMillis(2));
        }
    }

    @Test
    void kafka_neo4j_and_postgresql_go_down_and_come_back() throws Exception {
        String database = TestDatabases.create("memos_faults_");
        String topic = "it-faults-" + Long.toHexString(System.nanoTime());
        try (KafkaBroker kafka = KafkaBroker.start(Scratch.directory("memos-faults-kafka"));
             Neo4jServer neo4j = Neo4jServer.start(Scratch.directory("memos-faults-neo4j"));
             ServiceProcess service = new ServiceProcess(TestDatabases.serviceJar(),
                     Scratch.directory("memos-faults"), TestDatabases.environment(database, ADMIN))) {
            service.start(List.of("-Dmemos.bus.kind=kafka", "-Dmemos.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                    "-Dmemos.bus.topic=" + topic, "-Dmemos.lineage.kind=neo4j",
                    "-Dmemos.lineage.neo4j.uri=" + neo4j.boltUri(), "-Xmx1g"));
            as(service, ADMIN).body(Map.of("name", "faults")).post("/v1/spaces").then().statusCode(201);
            String first = write(service, "Dana keeps bees on the roof");
            found(service, "bees roof", 30_000);

            try (Writer writer = new Writer(service)) {
                kafkaDownAndBack(service, kafka, first);
                neo4jDownAndBack(service, neo4j, first);
                postgresDownAndBack(service);
                writer.close();
                System.out.printf("the writer's answers over all three faults: %s%n", writer.statuses);
                assertEquals(List.of(), writer.notProblems, "error answers that are not problem+json");
                assertTrue(writer.statuses.keySet().stream().allMatch(s -> s == 201 || s == 503),
                        "answers other than 201 or 503: " + writer.statuses);
                for (String id : List.copyOf(writer.acknowledged)) {
                    as(service, ADMIN).get("/v1/cubes/" + id).then().statusCode(200);
                }
            }
            // at least once: a batch the broker took just before PostgreSQL stopped is published again after
            long events = TestDatabases.awaitPublished(database);
            long records = TwoNodesIT.recordsOnTopic(kafka.bootstrapServers(), topic);
            System.out.printf("%d outbox events, %d records on the topic%n", events, records);
            assertTrue(records >= events, "events never published: " + events + " events, " + records + " records");
            Services.allTexts(service, ADMIN, "faults"); // and no cube twice
        } finally {
            postgres("start");
            TestDatabases.drop(database);
        }
    }

    /** Kafka down: reads and writes go on (writes wait in the outbox); back: they are delivered, once each. */
    private static void kafkaDownAndBack(ServiceProcess service, KafkaBroker kafka, String first) throws Exception {
        kafka.stop();
        as(service, ADMIN).get("/v1/cubes/" + first).then().statusCode(200);
        as(service, ADMIN).body(Map.of("query", "bees roof", "mode", "keyword")).post("/v1/spaces/faults/search")
                .then().statusCode(200).body("hits", hasSize(1));
        String during = write(service, "While the broker was away Dana moved the hives");
        ExtractableResponse<Response> waiting = as(service, ADMIN).body(Map.of("query", "hives broker", "mode", "keyword",
                "consistency", "read-your-writes", "waitMs", 2_000)).post("/v1/spaces/faults/search").then().extract();
        System.out.printf("Kafka down: read-your-writes search answered %d %s%n", waiting.statusCode(), waiting.asString());
        assertProblem(waiting, 503);
        operatorView(service, "Kafka down");
        pause(3_000);

        kafka.startAgain();
        long back = System.nanoTime();
        found(service, "hives broker", 60_000);
        System.out.printf("Kafka back: the write made while it was down was searchable %.1f s later%n",
                (System.nanoTime() - back) / 1e9);
        as(service, ADMIN).get("/v1/cubes/" + during).then().statusCode(200);
        operatorView(service, "Kafka back");
    }

    /** Neo4j down: writes go on, the lineage view answers 503; back: the lineage recorded meanwhile is in the graph. */
    private static void neo4jDownAndBack(ServiceProcess service, Neo4jServer neo4j, String first) throws Exception {
        neo4j.stop();
        String derived = as(service, ADMIN).body(Map.of("text", "Summary: bees on the roof", "derivedFrom", List.of(first)))
                .post("/v1/spaces/faults/cubes").then().statusCode(201).extract().path("id");
        long asked = System.nanoTime();
        ExtractableResponse<Response> lineage = as(service, ADMIN).get("/v1/cubes/" + derived + "/lineage").then().extract();
        double seconds = (System.nanoTime() - asked) / 1e9;
        System.out.printf("Neo4j down: the lineage view answered %d in %.1f s: %s%n", lineage.statusCode(), seconds,
                lineage.asString());
        assertProblem(lineage, 503);
        assertTrue(seconds < 15, "the lineage view took " + seconds + " s to answer");
        found(service, "summary bees", 30_000);
        operatorView(service, "Neo4j down");
        pause(3_000);

        neo4j.startAgain();
        long back = System.nanoTime();
        Services.awaitEdge(service, ADMIN, derived, "DERIVED_FROM", 60);
        System.out.printf("Neo4j back: the lineage written while it was down was in the graph %.1f s later%n",
                (System.nanoTime() - back) / 1e9);
        operatorView(service, "Neo4j back");
    }

    /** PostgreSQL stopped: writes answer 503 problem+json; started again: writes succeed again within seconds. */
    private static void postgresDownAndBack(ServiceProcess service) throws Exception {
        postgres("stop");
        ExtractableResponse<Response> refused = as(service, ADMIN).body(Map.of("text", "while the database was away"))
                .post("/v1/spaces/faults/cubes").then().extract();
        System.out.printf("PostgreSQL down: a write answered %d %s%n", refused.statusCode(), refused.asString());
        assertProblem(refused, 503);
        ExtractableResponse<Response> read = as(service, ADMIN).get("/v1/spaces/faults/cubes").then().extract();
        System.out.printf("PostgreSQL down: a list answered %d%n", read.statusCode());
        assertProblem(read, 503);
        operatorView(service, "PostgreSQL down");
        pause(3_000);

        postgres("start");
        long back = System.nanoTime();
        org.awaitility.Awaitility.await("writes succeed again within 60 s of PostgreSQL's start")
                .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    ExtractableResponse<Response> answer = as(service, ADMIN).body(Map.of("text", "The database is back"))
                            .post("/v1/spaces/faults/cubes").then().extract();
                    if (answer.statusCode() != 201) {
                        assertProblem(answer, 503); // until then every refusal is a 503 problem
                    }
                    return answer.statusCode() == 201;
                });
        System.out.printf("PostgreSQL back: writes succeeded again %.1f s after it started%n",
                (System.nanoTime() - back) / 1e9);
        found(service, "database back", 30_000);
        operatorView(service, "PostgreSQL back");
    }

    private static void assertProblem(ExtractableResponse<Response> answer, int status) {
        assertEquals(status, answer.statusCode(), answer.asString());
        assertTrue(String.valueOf(answer.contentType()).startsWith("application/problem+json"), answer.contentType());
    }

    /** Prints what an operator sees: readiness and the backlog metrics. */
    private static void operatorView(ServiceProcess service, String moment) {
        ExtractableResponse<Response> ready = io.restassured.RestAssured.given().baseUri(service.baseUri())
                .get("/q/health/ready").then().extract();
        String metrics = io.restassured.RestAssured.given().baseUri(service.baseUri()).get("/q/metrics").asString();
        List<String> lines = metrics.lines().filter(l -> l.startsWith("memos_index_pending") || l.startsWith("memos_index_lag")
                || l.startsWith("memos_bus")).toList();
        System.out.printf("%s: ready %d %s%n  %s%n", moment, ready.statusCode(), ready.asString().replaceAll("\\s+", " "),
                String.join("\n  ", lines));
    }

    private static String write(ServiceProcess service, String text) {
        return as(service, ADMIN).body(Map.of("text", text)).post("/v1/spaces/faults/cubes").then().statusCode(201)
                .extract().path("id");
    }

    private static void found(ServiceProcess service, String query, int waitMs) {
        as(service, ADMIN).body(Map.of("query", query, "mode", "keyword", "k", 1, "consistency", "read-your-writes",
                "waitMs", waitMs)).post("/v1/spaces/faults/search").then().statusCode(200).body("hits", hasSize(1));
    }

    /** Runs {@code scripts/postgres.sh start|stop}: the test stops and starts the cluster it runs on. */
    private static void postgres(String command) throws Exception {
        Process process = new ProcessBuilder(POSTGRES_SCRIPT.toString(), command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("scripts/postgres.sh " + command + " failed: " + output);
        }
    }

    /** Holds a fault (or paces the steady writer) for a set time: a duration the scenario chooses, not a wait. */
    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
