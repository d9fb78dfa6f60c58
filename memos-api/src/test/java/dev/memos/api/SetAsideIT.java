package dev.memos.api;

import dev.memos.testkit.Scratch;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.memos.testkit.ServiceProcess;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.memos.api.Services.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * No poison stalls, on the packaged service with an OpenAI-protocol embedding server that refuses some texts (a
 * stand-in: no remote model server can run here; it answers as OpenAI does, 400 with an error object). The refused
 * cube is set aside with its reason (admin API and metric), the writes around it become searchable, and the retry
 * indexes it once the server accepts it. On two nodes (one PostgreSQL database, one broker) each node keeps its own
 * list, as it keeps its own index, and a retry asked of one reaches the other through the bus.
 */
class SetAsideIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private volatile boolean refusing = true;

    private HttpServer embeddingServer() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/embeddings", exchange -> {
            JsonNode input = JSON.readTree(exchange.getRequestBody()).path("input");
            StringBuilder data = new StringBuilder();
            int status = 200;
            for (int i = 0; i < input.size(); i++) {
                String text = input.get(i).asText();
                status = refusing && text.contains("POISON") ? 400 : status;
                data.append(i == 0 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i)
                        .append(",\"embedding\":[").append(1 + text.length() % 7).append(",1,").append(text.hashCode() % 5)
                        .append(",1]}");
            }
            byte[] body = (status == 200 ? "{\"object\":\"list\",\"model\":\"stand-in\",\"data\":[" + data + "]}"
                    : "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens\","
                    + "\"type\":\"invalid_request_error\"}}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    @Test
    void a_text_the_embedder_refuses_is_set_aside_and_the_rest_flows_on() throws Exception {
        HttpServer embedder = embeddingServer();
        Path data = Scratch.directory("memos-set-aside");
        try (ServiceProcess service = new ServiceProcess(ServiceProcess.packagedJar(), data, Map.of())) {
            service.start(List.of("-Dmemos.embedding.kind=openai", "-Dmemos.embedding.openai.model=stand-in",
                    "-Dmemos.embedding.openai.base-url=http://127.0.0.1:" + embedder.getAddress().getPort()));
            String admin = Files.readString(data.resolve("admin.key")).strip();
            as(service, admin).body(Map.of("name", "hive")).post("/v1/spaces").then().statusCode(201);
            String poison = null;
            for (String text : List.of("Dana keeps bees on the roof", "POISON pill of a text", "Honey jars in the kitchen")) {
                String id = as(service, admin).body(Map.of("text", text)).post("/v1/spaces/hive/cubes")
                        .then().statusCode(201).extract().path("id");
                poison = text.startsWith("POISON") ? id : poison;
            }
            // the writes after the refused one are searchable: nothing stalls
            as(service, admin).body(Map.of("query", "kitchen honey", "mode", "keyword", "consistency", "read-your-writes"))
                    .post("/v1/spaces/hive/search").then().statusCode(200).body("hits", hasSize(1));
            as(service, admin).body(Map.of("query", "pill", "mode", "keyword"))
                    .post("/v1/spaces/hive/search").then().statusCode(200)
                    .body("hits[0].cube.id", equalTo(poison));

            as(service, admin).get("/v1/admin/index/set-aside").then().statusCode(200)
                    .body("total", equalTo(1)).body("cubes[0].id", equalTo(poison))
                    .body("cubes[0].space", equalTo("hive"))
                    .body("cubes[0].reason", containsString("answered 400: This model's maximum context length"))
                    .body("cubes[0].reason", not(containsString("POISON")));
            assertEquals(1, Services.awaitMetric(service, "memos_index_set_aside", 1, false));

            // a query the embedder refuses is the caller's to change
            as(service, admin).body(Map.of("query", "POISON again")).post("/v1/spaces/hive/search").then()
                    .statusCode(400).contentType("application/problem+json").body("field", equalTo("query"));
            // only administrators see or retry
            String reader = as(service, admin).body(Map.of("name", "reader", "kind", "user")).post("/v1/principals")
                    .then().statusCode(201).extract().path("apiKey");
            as(service, reader).get("/v1/admin/index/set-aside").then().statusCode(403)
                    .contentType("application/problem+json");
            as(service, reader).post("/v1/admin/index/set-aside/retry").then().statusCode(403);

            as(service, admin).post("/v1/admin/index/set-aside/retry").then().statusCode(200)
                    .body("before", equalTo(1)).body("stillSetAside", equalTo(1));
            refusing = false;
            as(service, admin).post("/v1/admin/index/set-aside/retry").then().statusCode(200)
                    .body("stillSetAside", equalTo(0));
            as(service, admin).get("/v1/admin/index/set-aside").then().statusCode(200).body("total", equalTo(0));
            List<String> byVector = as(service, admin).body(Map.of("query", "POISON pill of a text", "mode", "vector", "k", 3))
                    .post("/v1/spaces/hive/search").then().statusCode(200).extract().path("hits.cube.id");
            assertEquals(true, byVector.contains(poison), "indexed with its vector after the retry: " + byVector);
        } finally {
            embedder.stop(0);
        }
    }

    @Test
    void on_two_nodes_each_keeps_its_own_list_and_a_retry_on_one_reaches_both() throws Exception {
        HttpServer embedder = embeddingServer();
        String database = TestDatabases.create("memos_set_aside_");
        String admin = "set-aside-two-nodes-admin-key-0123456789";
        List<String> jvm = List.of("-Dmemos.embedding.kind=openai", "-Dmemos.embedding.openai.model=stand-in",
                "-Dmemos.embedding.openai.base-url=http://127.0.0.1:" + embedder.getAddress().getPort(),
                "-Dmemos.bus.kind=kafka", "-Dmemos.kafka.bootstrap-servers="
                        + dev.memos.testkit.servers.KafkaBroker.shared().bootstrapServers(),
                "-Dmemos.bus.topic=it-set-aside-" + database, "-Xmx768m");
        Map<String, String> environment = TestDatabases.environment(database, admin);
        try (ServiceProcess a = new ServiceProcess(TestDatabases.serviceJar(), Scratch.directory("memos-aside-a"),
                environment);
             ServiceProcess b = new ServiceProcess(TestDatabases.serviceJar(), Scratch.directory("memos-aside-b"),
                     environment)) {
            a.start(jvm);
            b.start(jvm);
            as(a, admin).body(Map.of("name", "hive")).post("/v1/spaces").then().statusCode(201);
            String poison = as(a, admin).body(Map.of("text", "POISON pill of a text")).post("/v1/spaces/hive/cubes")
                    .then().statusCode(201).extract().path("id");
            for (ServiceProcess node : List.of(a, b)) { // each node's indexer was refused, each keeps its own entry
                Services.awaitMetric(node, "memos_index_set_aside", 1, false);
                as(node, admin).get("/v1/admin/index/set-aside").then().statusCode(200).body("total", equalTo(1))
                        .body("cubes[0].id", equalTo(poison)).body("cubes[0].attempts", equalTo(1));
            }

            refusing = false;
            as(a, admin).post("/v1/admin/index/set-aside/retry").then().statusCode(200).body("stillSetAside", equalTo(0));
            long asked = System.nanoTime();
            Services.awaitMetric(b, "memos_index_set_aside", 0, true);
            System.out.printf("node B retried its own %.1f s after the retry on node A%n", (System.nanoTime() - asked) / 1e9);
            for (ServiceProcess node : List.of(a, b)) {
                List<String> byVector = as(node, admin).body(Map.of("query", "POISON pill of a text", "mode", "vector",
                        "k", 3)).post("/v1/spaces/hive/search").then().statusCode(200).extract().path("hits.cube.id");
                assertEquals(true, byVector.contains(poison), "indexed with its vector on " + node.baseUri());
            }
        } finally {
            embedder.stop(0);
            TestDatabases.drop(database);
        }
    }
}
