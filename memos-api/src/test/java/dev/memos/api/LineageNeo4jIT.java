package dev.memos.api;

import dev.memos.testkit.Scratch;
import dev.memos.testkit.ServiceProcess;
import dev.memos.testkit.servers.Neo4jServer;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/**
 * The lineage API on {@code memos.lineage.kind=neo4j}: the packaged service, in its own process, against a real
 * Neo4j 5.26 server; consolidation runs as the scheduler's policy.
 */
class LineageNeo4jIT extends LineageApiContract {
    private static ServiceProcess service;

    @BeforeAll
    static void start() throws Exception {
        service = new ServiceProcess(ServiceProcess.packagedJar(), Scratch.directory("memos-neo4j-it"),
                Map.of("MEMOS_ADMIN_KEY", Api.ADMIN_KEY));
        service.start(List.of("-Dmemos.lineage.kind=neo4j", "-Dmemos.lineage.neo4j.uri=" + Neo4jServer.sharedBoltUri(),
                "-Dmemos.scheduler.consolidation.enabled=true", "-Dmemos.scheduler.interval=1s"));
        URI uri = URI.create(service.baseUri());
        RestAssured.baseURI = uri.getScheme() + "://" + uri.getHost();
        RestAssured.port = uri.getPort();
    }

    @AfterAll
    static void stop() throws Exception {
        RestAssured.reset();
        service.close();
    }

    @Override
    protected String fuse(String key, String first, String second) {
        JsonPath merged = lineage(key, first, "?direction=descendants", 1);
        String into = merged.getString("edges.find { it.type == 'MERGED_INTO' }.to");
        if (into == null) {
            throw new AssertionError("the scheduler did not fuse " + first + " and " + second + ": " + merged.prettify());
        }
        return into.substring(0, into.indexOf('@'));
    }
}
