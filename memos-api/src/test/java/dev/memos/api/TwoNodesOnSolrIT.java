package dev.memos.api;

import dev.memos.testkit.Scratch;
import dev.memos.testkit.ServiceProcess;
import dev.memos.testkit.servers.KafkaBroker;
import dev.memos.testkit.servers.SolrCloud;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.memos.api.Services.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two memos nodes as processes sharing one search index on a real two-node SolrCloud, over one PostgreSQL database
 * and one Kafka broker: the nodes index as one consumer group (each event once, by the node holding its partition),
 * not a replica each; a write on either node is found by a read-your-writes search on the other, in spaces whose
 * partitions either node holds; when one node stops, the other takes every partition and its own writes stay
 * searchable at once; the index check finds nothing missing.
 */
class TwoNodesOnSolrIT {
    private static final String ADMIN = "solr-nodes-admin-key-0123456789abcdef";
    private static final int SPACES = 6;

    @Test
    void two_nodes_index_one_collection_as_one_group_and_read_each_others_writes() throws Exception {
        String database = TestDatabases.create("memos_solr_nodes_");
        String run = UUID.randomUUID().toString().substring(0, 8);
        String collection = "it_nodes_" + run;
        String group = "search-indexer-solr-" + collection;
        String bootstrap = KafkaBroker.shared().bootstrapServers();
        List<String> jvm = List.of("-Dmemos.bus.kind=kafka", "-Dmemos.kafka.bootstrap-servers=" + bootstrap,
                "-Dmemos.bus.topic=it-solr-nodes-" + run, "-Dmemos.search.kind=solr",
                "-Dmemos.search.solr.urls=" + SolrCloud.sharedUrls(), "-Dmemos.search.solr.collection=" + collection,
                "-Xmx768m");
        Map<String, String> environment = TestDatabases.environment(database, ADMIN);
        try (ServiceProcess a = node("a", environment); ServiceProcess b = node("b", environment);
             Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            a.start(jvm);
            b.start(jvm);
            for (int s = 0; s < SPACES; s++) {
                as(a, ADMIN).body(Map.of("name", "space-" + s)).post("/v1/spaces").then().statusCode(201);
            }
            // every space's partition is held by one node or the other: each write is read on the node that did not write it
            for (int i = 0; i < 2 * SPACES; i++) {
                ServiceProcess writer = i % 2 == 0 ? a : b;
                ServiceProcess reader = writer == a ? b : a;
                String space = "space-" + (i % SPACES);
                as(writer, ADMIN).body(Map.of("text", "note " + i + " mentions zebra" + i + " at the river"))
                        .post("/v1/spaces/" + space + "/cubes").then().statusCode(201);
                as(reader, ADMIN).body(Map.of("query", "zebra" + i, "mode", "keyword", "consistency", "read-your-writes",
                                "waitMs", 30_000)).post("/v1/spaces/" + space + "/search")
                        .then().statusCode(200).body("hits", hasSize(1));
            }

            ConsumerGroupDescription indexers = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            assertEquals(GroupState.STABLE, indexers.groupState(), "the shared indexer group");
            assertEquals(2, indexers.members().size(), "both nodes are members of one indexer group");
            for (MemberDescription member : indexers.members()) {
                assertFalse(member.assignment().topicPartitions().isEmpty(), member.clientId() + " indexes a share");
            }
            var groups = admin.listGroups().all().get().stream().map(g -> g.groupId()).toList();
            for (ServiceProcess node : List.of(a, b)) {
                String id = Files.readString(node.dataDir().resolve("instance.id")).strip();
                assertFalse(groups.contains("search-indexer-" + id), "node " + id + " has no indexer group of its own");
            }

            a.stop();
            Awaitility.await("node B holds every partition of the indexer group").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().stream()
                            .mapToInt(m -> m.assignment().topicPartitions().size()).sum() == 6
                            && admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().size() == 1);
            for (int s = 0; s < SPACES; s++) {
                String id = as(b, ADMIN).body(Map.of("text", "after the stop, an ibis" + s + " by the lake"))
                        .post("/v1/spaces/space-" + s + "/cubes").then().statusCode(201).extract().path("id");
                as(b, ADMIN).body(Map.of("query", "ibis" + s, "mode", "hybrid", "consistency", "read-your-writes",
                                "waitMs", 30_000)).post("/v1/spaces/space-" + s + "/search")
                        .then().statusCode(200).body("hits[0].cube.id", equalTo(id));
            }
            var check = as(b, ADMIN).get("/v1/admin/index/check").then().statusCode(200).extract().jsonPath();
            System.out.printf("index check on the shared collection: %s cubes, %s indexed%n", check.getLong("cubes"),
                    check.getLong("indexed"));
            assertEquals(3L * SPACES, check.getLong("cubes"));
            assertEquals(3L * SPACES, check.getLong("indexed"));
            assertTrue(check.getList("missing").isEmpty() && check.getList("stale").isEmpty()
                    && check.getList("orphaned").isEmpty(), check.prettyPrint());
        } finally {
            TestDatabases.drop(database);
        }
    }

    private static ServiceProcess node(String name, Map<String, String> environment) throws Exception {
        return new ServiceProcess(TestDatabases.serviceJar(), Scratch.directory("memos-solr-node-" + name), environment);
    }
}
