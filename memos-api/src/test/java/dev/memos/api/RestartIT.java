package dev.memos.api;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the packaged service as its own process on an embedded database: what was acknowledged
 * before a graceful stop or a {@code kill -9} is all there after a restart.
 */
class RestartIT {
    private static final Path APP = Path.of(System.getProperty("memos.app.dir", "target/quarkus-app"), "quarkus-run.jar");
    private final List<Process> started = new ArrayList<>();
    private Path dataDir;
    private int port;

    @AfterEach
    void stopAll() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void cubes_written_before_a_restart_are_all_there_after_it() throws Exception {
        dataDir = Files.createTempDirectory("memos-restart");
        port = freePort();

        Process first = start();
        Path keyFile = dataDir.resolve("admin.key");
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(keyFile), "the generated admin key is readable by its owner only");
        String admin = Files.readString(keyFile).strip();
        as(admin).body(Map.of("name", "durable")).post("/v1/spaces").then().statusCode(201);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ids.add(as(admin).body(Map.of("text", "memory " + i, "tags", List.of("batch")))
                    .post("/v1/spaces/durable/cubes").then().statusCode(201).extract().path("id"));
        }
        as(admin).header("If-Match", "\"1\"").body(Map.of("text", "memory 0, edited"))
                .patch("/v1/cubes/" + ids.getFirst()).then().statusCode(200);
        first.destroy();
        assertTrue(first.waitFor(30, TimeUnit.SECONDS), "graceful stop");

        Process second = start();
        assertEquals(admin, Files.readString(keyFile).strip(), "the key is written once, not regenerated");
        checkAll(admin, ids, 50);
        String afterRestart = as(admin).body(Map.of("text", "written just before a crash"))
                .post("/v1/spaces/durable/cubes").then().statusCode(201).extract().path("id");
        ids.add(afterRestart);
        second.destroyForcibly();
        second.waitFor(30, TimeUnit.SECONDS);

        start();
        checkAll(admin, ids, 51);
    }

    private void checkAll(String admin, List<String> ids, int expected) {
        as(admin).queryParam("limit", 200).get("/v1/spaces/durable/cubes").then().statusCode(200)
                .body("items", hasSize(expected));
        for (String id : ids) {
            as(admin).get("/v1/cubes/" + id).then().statusCode(200);
        }
        as(admin).get("/v1/cubes/" + ids.getFirst()).then().body("version", equalTo(2))
                .body("text", equalTo("memory 0, edited"));
        as(admin).get("/v1/cubes/" + ids.getFirst() + "/versions/1").then().body("text", equalTo("memory 0"));
    }

    private RequestSpecification as(String key) {
        return RestAssured.given().baseUri("http://127.0.0.1:" + port)
                .header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    private Process start() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = dataDir.resolve("service-" + started.size() + ".log");
        long t0 = System.nanoTime();
        Process process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-Dmemos.data-dir=" + dataDir, "-Dquarkus.http.port=" + port, "-jar", APP.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(process);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build();
        for (int i = 0; i < 600; i++) {
            if (!process.isAlive()) {
                throw new AssertionError("the service exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    System.out.printf("memos ready in %d ms (start %d)%n", (System.nanoTime() - t0) / 1_000_000, started.size());
                    return process;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the service did not become ready in 60 s:\n" + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
