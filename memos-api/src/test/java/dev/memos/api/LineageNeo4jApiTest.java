package dev.memos.api;

import dev.memos.testkit.servers.Neo4jServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import java.util.Map;

/** The same lineage API tests with the service on {@code memos.lineage.kind=neo4j}, against a real Neo4j server. */
@QuarkusTest
@TestProfile(LineageNeo4jApiTest.OnNeo4j.class)
class LineageNeo4jApiTest extends LineageApiTest {
    public static class OnNeo4j implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("memos.lineage.kind", "neo4j", "memos.lineage.neo4j.uri", Neo4jServer.sharedBoltUri());
        }
    }
}
