package dev.memos.solr;

import dev.memos.kernel.search.ContextWindow;
import dev.memos.kernel.spi.SearchIndex;
import dev.memos.testkit.SearchIndexContract;
import dev.memos.testkit.servers.SolrCloud;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The search index contract on a real two-node SolrCloud 9.10 (two shards, one on each node). */
class SolrSearchIndexIT extends SearchIndexContract {
    private static final AtomicInteger COLLECTIONS = new AtomicInteger();
    private String collection;

    @Override
    protected SearchIndex newIndex() {
        collection = "contract" + COLLECTIONS.incrementAndGet();
        return new SolrSearchIndex(urls(), collection, 2, 1, "test-model", 4, false);
    }

    private static List<String> urls() {
        return List.of(SolrCloud.sharedUrls().split(","));
    }

    @AfterEach
    void close() throws Exception {
        ((SolrSearchIndex) index).close();
    }

    @Test
    void a_collection_built_for_another_model_fails_the_start_or_is_emptied_for_a_rebuild() throws Exception {
        index.upsert(cube("s", "kept until the model changes"), new float[]{1, 0, 0, 0});
        index.commit();
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> new SolrSearchIndex(urls(), collection, 2, 1, "other-model", 4, false));
        assertTrue(refused.getMessage().contains("memos.search.rebuild-on-mismatch"), refused.getMessage());
        try (SolrSearchIndex reopened = new SolrSearchIndex(urls(), collection, 2, 1, "test-model", 4, false)) {
            assertEquals(1, reopened.count("s"), "the same model reopens the collection as it was");
            assertTrue(!reopened.startedEmpty());
        }
        try (SolrSearchIndex rebuilt = new SolrSearchIndex(urls(), collection, 2, 1, "other-model", 8, true)) {
            assertTrue(rebuilt.startedEmpty());
            assertEquals(0, rebuilt.count("s"));
            assertThrows(IllegalArgumentException.class,
                    () -> rebuilt.upsert(cube("s", "x"), new float[]{1, 0, 0, 0}), "the new dimension is 8");
        }
    }

    @Test
    void a_window_of_the_cube_alone_is_not_indexed_as_a_second_vector() {
        float[] own = {1, 0, 0, 0};
        var alone = cube("s", "a memory without a session");
        index.upsert(alone, own, new ContextWindow.Window("a memory without a session", own.clone()));
        var inSession = cube("s", "a turn of a conversation");
        index.upsert(inSession, new float[]{0, 1, 0, 0},
                new ContextWindow.Window("the turn before\na turn of a conversation", new float[]{0.6f, 0.8f, 0, 0}));
        index.commit();
        var windowVectors = ((SolrSearchIndex) index).query(new org.apache.solr.client.solrj.SolrQuery(
                "{!knn f=" + SolrDocuments.CONTEXT_VECTOR + " topK=10}[1.0,0.0,0.0,0.0]").setFields("id").setRows(10));
        assertEquals(List.of(inSession.id().toString()),
                windowVectors.getResults().stream().map(d -> (String) d.getFieldValue("id")).toList(),
                "only the session's window has a vector of its own");
        assertEquals(List.of(alone.id(), inSession.id()), index.search(new dev.memos.kernel.search.IndexQuery(
                java.util.Set.of("s"), null, own, dev.memos.kernel.search.SearchMode.VECTOR,
                dev.memos.kernel.search.SearchFilters.NONE, java.time.Instant.now(), 10)).contextVector().stream()
                .map(dev.memos.kernel.search.IndexCandidates.Scored::id).toList(), "yet both windows are found");
    }

    @Test
    void the_erasure_check_sees_a_deleted_document_until_its_segment_is_rewritten() {
        var gone = cube("s", "a secret to erase");
        var kept = cube("s", "a note to keep");
        index.upsert(gone, new float[]{1, 0, 0, 0});
        index.upsert(kept, new float[]{0, 1, 0, 0});
        for (int i = 0; i < 30; i++) { // so few deletes in the segment that no natural merge reclaims them
            index.upsert(cube("s", "another note " + i), new float[]{0, 0, 1, 0});
        }
        index.commit();
        SolrSearchIndex solr = (SolrSearchIndex) index;
        List<String> ids = List.of(gone.id().toString());
        assertEquals(1, solr.held(SolrDocuments.ID, ids), "a live document is held");
        index.remove(gone.id());
        index.commit();
        assertEquals(1, solr.held(SolrDocuments.ID, ids), "a deleted document still sits in its segment");
        assertEquals(0, index.expungeRemoved(List.of(gone.id())));
        assertEquals(0, solr.held(SolrDocuments.ID, ids));
        assertEquals(1, solr.held(SolrDocuments.ID, List.of(kept.id().toString())), "the rest stays");
    }

    @Test
    void a_cluster_that_cannot_be_reached_is_unavailable_not_a_fault_of_memos() throws Exception {
        int nobody;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            nobody = socket.getLocalPort();
        }
        var e = assertThrows(dev.memos.kernel.error.UnavailableException.class, () -> new SolrSearchIndex(
                List.of("http://127.0.0.1:" + nobody + "/solr"), "nowhere", 1, 1, "test-model", 4, false));
        assertTrue(e.getMessage().contains("nowhere"), e.getMessage());
    }

    @Test
    void a_request_solr_refuses_is_a_fault_of_memos_not_an_unavailable_cluster() throws Exception {
        index.commit();
        try (var client = new org.apache.solr.client.solrj.impl.CloudHttp2SolrClient.Builder(urls()).build()) {
            var bad = new org.apache.solr.client.solrj.SolrQuery("{!func}no_such_function(id)");
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> SolrSearchIndex.call(collection, "search", () -> client.query(collection, bad)));
            assertTrue(e.getMessage().contains("no_such_function"), e.getMessage());
        }
    }

    @Test
    void an_erased_cubes_text_leaves_every_file_of_the_cluster_segments_and_update_logs_alike() throws Exception {
        String secret = "zqxjkv" + COLLECTIONS.get() + "plumbago";
        var gone = cube("s", "my secret is " + secret);
        index.upsert(gone, new float[]{1, 0, 0, 0});
        for (int i = 0; i < 30; i++) {
            index.upsert(cube("s", "another note " + i), new float[]{0, 0, 1, 0});
        }
        index.commit();
        assertTrue(!filesHolding(secret).isEmpty(), "the scan finds the text while the cube is indexed");
        index.remove(gone.id());
        assertEquals(0, index.expungeRemoved(List.of(gone.id())));
        assertEquals(List.of(), filesHolding(secret));
        assertEquals(30, index.count("s"));
    }

    /** The files under the cluster's nodes (cores, update logs, ZooKeeper) whose bytes contain {@code text}. */
    private static List<java.nio.file.Path> filesHolding(String text) throws java.io.IOException {
        byte[] needle = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        List<java.nio.file.Path> found = new java.util.ArrayList<>();
        try (var files = java.nio.file.Files.walk(SolrCloud.shared().home())) {
            for (var f : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                byte[] data;
                try {
                    data = java.nio.file.Files.readAllBytes(f);
                } catch (java.nio.file.NoSuchFileException gone) {
                    continue; // a file a merge or a log roll removed while we walked
                }
                for (int i = 0; i + needle.length <= data.length; i++) {
                    if (java.util.Arrays.equals(data, i, i + needle.length, needle, 0, needle.length)) {
                        found.add(f);
                        break;
                    }
                }
            }
        }
        return found;
    }
}
