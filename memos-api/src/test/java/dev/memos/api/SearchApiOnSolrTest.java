package dev.memos.api;

import dev.memos.testkit.servers.SolrCloud;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.memos.api.Api.ADMIN_KEY;
import static dev.memos.api.Api.as;
import static dev.memos.api.Api.problem;

/**
 * Retrieval over HTTP, every {@link SearchApiTest} case, with the search index on a real two-node SolrCloud
 * ({@code memos.search.kind=solr}) instead of the embedded Lucene index.
 */
@QuarkusTest
@TestProfile(SearchApiOnSolrTest.OnSolr.class)
class SearchApiOnSolrTest extends SearchApiTest {
    public static final class OnSolr implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("memos.search.kind", "solr", "memos.search.solr.urls", SolrCloud.sharedUrls(),
                    "memos.search.solr.collection", "api");
        }
    }

    /** Merging segments is the embedded index's own operation: on Solr, the cluster merges. */
    @Override
    @Test
    void only_administrators_operate_the_index() throws InterruptedException {
        problem(as(key()).post("/v1/admin/index/optimize").then(), 403, "forbidden");
        problem(as(ADMIN_KEY).post("/v1/admin/index/optimize").then(), 409, "conflict");
        as(ADMIN_KEY).post("/v1/admin/index/rebuild").then().statusCode(200)
                .body("indexed", org.hamcrest.Matchers.greaterThan(0));
    }
}
