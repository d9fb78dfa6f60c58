package dev.memos.solr;

import org.apache.solr.client.solrj.impl.CloudHttp2SolrClient;
import org.apache.solr.client.solrj.request.AbstractUpdateRequest;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.apache.solr.common.cloud.Replica;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.util.NamedList;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.memos.solr.SolrDocuments.ID;

/**
 * Erasure on SolrCloud: deleted documents rewritten out of every replica's segments, the update logs rolled past
 * them, and a check of what the segments still hold. {@link SolrSearchIndex} asks until nothing is held.
 */
final class SolrErasure {
    private final CloudHttp2SolrClient client;
    private final String collection;

    SolrErasure(CloudHttp2SolrClient client, String collection) {
        this.client = client;
        this.collection = collection;
    }

    /**
     * A commit with {@code expungeDeletes} (the configset's merge policy allows no deletes to stay) rewrites every
     * segment that has a deleted document, on every replica; then the update logs roll.
     */
    void expungeDeletes() {
        UpdateRequest expunge = new UpdateRequest();
        expunge.setAction(AbstractUpdateRequest.ACTION.COMMIT, true, true);
        expunge.setParam("expungeDeletes", "true");
        call("expunge deletes in", () -> expunge.process(client, collection));
        rollUpdateLogs();
    }

    /**
     * The update log keeps the documents of recent updates, text included, until it rolls: each hard commit starts a
     * new log, and the configset keeps no more old logs than one record needs. A delete that matches nothing,
     * logged by every replica, and a commit push the logs holding the erased cubes' adds out.
     */
    private void rollUpdateLogs() {
        call("roll the update logs of", () -> client.deleteByQuery(collection, SolrFilters.term(ID, ROLL_MARKER)));
        call("commit", () -> client.commit(collection, true, true));
    }

    /** The id of no cube: what {@link #rollUpdateLogs} deletes. */
    private static final String ROLL_MARKER = "memos-update-log-roll";

    /**
     * How many of the values still have a term in some replica's segments: the terms component counts documents
     * per term from the segments' term dictionaries, deleted documents included. Every replica of every shard is
     * asked, each as its own "shard".
     */
    long held(String field, List<String> values) {
        String replicas = client.getClusterState().getCollection(collection).getReplicas().stream()
                .map(Replica::getCoreUrl).collect(Collectors.joining(","));
        ModifiableSolrParams params = new ModifiableSolrParams();
        params.set("terms", true);
        params.set("terms.fl", field);
        params.set("terms.list", String.join(",", values));
        params.set("terms.limit", -1);
        params.set("distrib", true);
        params.set("shards", replicas);
        params.set("shards.qt", "/terms");
        QueryRequest request = new QueryRequest(params);
        request.setPath("/terms");
        NamedList<Object> response = call("read the terms of", () -> request.process(client, collection)).getResponse();
        @SuppressWarnings("unchecked")
        NamedList<Object> terms = (NamedList<Object>) response.get("terms");
        if (terms == null || terms.get(field) == null) {
            return 0;
        }
        @SuppressWarnings("unchecked")
        NamedList<Object> counts = (NamedList<Object>) terms.get(field);
        long held = 0;
        for (Map.Entry<String, Object> term : counts) {
            if (((Number) term.getValue()).longValue() > 0) {
                held++;
            }
        }
        return held;
    }

    private <T> T call(String what, SolrSearchIndex.SolrCall<T> call) {
        return SolrSearchIndex.call(collection, what, call);
    }
}
