package dev.memos.api;

import dev.memos.testkit.Scratch;
import dev.memos.testkit.ServiceProcess;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs the packaged service as its own process on an embedded database: what was acknowledged
 * before a graceful stop or a {@code kill -9} is all there after a restart.
 */
class RestartIT {

    @Test
    void cubes_written_before_a_restart_are_all_there_after_it() throws Exception {
        Path dataDir = Scratch.directory("memos-restart");
        try (ServiceProcess service = new ServiceProcess(ServiceProcess.packagedJar(), dataDir, Map.of())) {
            service.start();
            Path keyFile = dataDir.resolve("admin.key");
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(keyFile), "the generated admin key is readable by its owner only");
            String admin = Files.readString(keyFile).strip();
            as(service, admin).body(Map.of("name", "durable")).post("/v1/spaces").then().statusCode(201);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                ids.add(as(service, admin).body(Map.of("text", "memory " + i, "tags", List.of("batch")))
                        .post("/v1/spaces/durable/cubes").then().statusCode(201).extract().path("id"));
            }
            as(service, admin).header("If-Match", "\"1\"").body(Map.of("text", "memory 0, edited"))
                    .patch("/v1/cubes/" + ids.getFirst()).then().statusCode(200);
            service.stop();

            service.start();
            assertEquals(admin, Files.readString(keyFile).strip(), "the key is written once, not regenerated");
            checkAll(service, admin, ids, 50);
            ids.add(as(service, admin).body(Map.of("text", "written just before a crash"))
                    .post("/v1/spaces/durable/cubes").then().statusCode(201).extract().path("id"));
            service.kill();

            service.start();
            checkAll(service, admin, ids, 51);
        }
    }

    private static void checkAll(ServiceProcess service, String admin, List<String> ids, int expected) {
        as(service, admin).queryParam("limit", 200).get("/v1/spaces/durable/cubes").then().statusCode(200)
                .body("items", hasSize(expected));
        for (String id : ids) {
            as(service, admin).get("/v1/cubes/" + id).then().statusCode(200);
        }
        as(service, admin).get("/v1/cubes/" + ids.getFirst()).then().body("version", equalTo(2))
                .body("text", equalTo("memory 0, edited"));
        as(service, admin).get("/v1/cubes/" + ids.getFirst() + "/versions/1").then().body("text", equalTo("memory 0"));
    }

    private static RequestSpecification as(ServiceProcess service, String key) {
        return RestAssured.given().baseUri(service.baseUri())
                .header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }
}
