package dev.memos.solr;

import dev.memos.kernel.error.UnavailableException;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.search.ContextWindow;
import dev.memos.kernel.search.IndexCandidates;
import dev.memos.kernel.search.IndexQuery;
import dev.memos.kernel.spi.SearchIndex;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.CloudHttp2SolrClient;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.params.CursorMarkParams;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static dev.memos.solr.SolrDocuments.*;

/**
 * The search index on SolrCloud, through SolrJ: the same documents, filters and lists as the embedded Lucene index,
 * in a collection routed by space (a space's cubes share a shard). Keyword lists are scored by memos' own BM25 as a
 * Solr function over the terms' frequencies and the documents' lengths, with statistics counted over the spaces
 * searched ({@link SolrKeywords}), so that one tenant's texts never move another's scores, as on Lucene. Vector
 * lists are Solr's HNSW {@code knn} with the filters applied before the walk.
 * <p>
 * Adds are buffered and sent in batches (at the latest on {@link #commit} or a read that must see them); removes go
 * at once, after the adds before them. The collection's configset carries the embedding dimension in its schema,
 * and its name the model: a collection built for another model or dimension fails the start, or is emptied for a
 * rebuild.
 */
public final class SolrSearchIndex implements SearchIndex, AutoCloseable {
    private static final int BATCH = 500;
    private static final long EXPUNGE_LIMIT_MS = 30_000;

    private final CloudHttp2SolrClient client;
    private final String collection;
    private final String model;
    private final int dimension;
    private final boolean startedEmpty;
    private final SolrKeywords keywords;
    private final SolrErasure erasure;
    private final List<SolrInputDocument> adds = new ArrayList<>();
    /** Where a search's list requests run, side by side. */
    private final ExecutorService lists = Executors.newVirtualThreadPerTaskExecutor();
    private volatile long lastSearch = System.nanoTime() - java.util.concurrent.TimeUnit.DAYS.toNanos(1);

    /**
     * @param urls              base URLs of some of the cluster's nodes ({@code http://host:8983/solr})
     * @param shards            shards of the collection when memos creates it
     * @param replicas          replicas of each shard when memos creates it
     * @param rebuildOnMismatch when the collection was built for another model or dimension, empty it (the caller
     *                          then rebuilds from the database) instead of failing
     */
    public SolrSearchIndex(List<String> urls, String collection, int shards, int replicas, String model, int dimension,
                           boolean rebuildOnMismatch) {
        this.collection = collection;
        this.model = model;
        this.dimension = dimension;
        this.client = new CloudHttp2SolrClient.Builder(urls).build();
        try {
            startedEmpty = new SolrCollections(client).open(collection, shards, replicas, model, dimension,
                    rebuildOnMismatch);
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
        this.keywords = new SolrKeywords(client, collection);
        this.erasure = new SolrErasure(client, collection);
    }

    @Override
    public boolean startedEmpty() {
        return startedEmpty;
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public Duration sinceLastSearch() {
        return Duration.ofNanos(System.nanoTime() - lastSearch);
    }

    @Override
    public synchronized void upsert(MemCube cube, float[] vector, ContextWindow.Window context) {
        checked(vector);
        checked(context == null ? null : context.vector());
        adds.add(SolrDocuments.document(cube, vector, context));
        if (adds.size() >= BATCH) {
            flush();
        }
    }

    private void checked(float[] vector) {
        if (vector != null && vector.length != dimension) {
            throw new IllegalArgumentException("vector has " + vector.length + " dimensions, the index " + dimension);
        }
    }

    /** Sends the buffered adds. */
    private synchronized void flush() {
        if (adds.isEmpty()) {
            return;
        }
        call("index " + adds.size() + " cubes in", () -> client.add(collection, adds));
        adds.clear();
    }

    @Override
    public void remove(CubeId id) {
        deleteWhere(SolrFilters.term(ID, id.toString()));
    }

    @Override
    public void removeSpace(String space) {
        deleteWhere(SolrFilters.term(SPACE, space));
    }

    private synchronized void deleteWhere(String query) {
        flush();
        call("delete " + query + " from", () -> client.deleteByQuery(collection, query));
    }

    /** Makes every change so far visible to searches, without the cost of a durable commit. */
    private synchronized void refresh() {
        flush();
        call("refresh", () -> client.commit(collection, true, true, true));
    }

    /**
     * Every change so far is durable once Solr acknowledged it (each replica logged it in its update log, which a
     * restarted node replays); this makes the changes visible with a soft commit. The segments' own hard commit, an
     * fsync of every replica, is left to the configset's {@code autoCommit} (every 15 s): committing hard after each
     * of the indexer's batches cost more than the indexing.
     */
    @Override
    public void commit() {
        refresh();
    }

    @Override
    public List<CubeId> pendingWindows(int limit) {
        refresh();
        SolrQuery q = new SolrQuery(SolrFilters.term(CONTEXT_STATE, PENDING)).setFields(ID).setRows(Math.max(1, limit));
        return query(q).getResults().stream().map(d -> CubeId.parse((String) d.getFieldValue(ID))).toList();
    }

    @Override
    public long countPendingWindows(String space) {
        SolrQuery q = new SolrQuery(SolrFilters.term(CONTEXT_STATE, PENDING));
        if (space != null) {
            q.addFilterQuery(SolrFilters.term(SPACE, space));
        }
        return countFresh(q);
    }

    @Override
    public boolean contains(CubeId id) {
        return countFresh(new SolrQuery(SolrFilters.term(ID, id.toString()))) > 0;
    }

    @Override
    public long count(String space) {
        return countFresh(new SolrQuery(SolrFilters.term(SPACE, space)));
    }

    private long countFresh(SolrQuery q) {
        refresh();
        return query(q.setRows(0)).getResults().getNumFound();
    }

    @Override
    public Optional<Map.Entry<String, String>> session(CubeId id) {
        return Optional.ofNullable(sessions(List.of(id)).get(id));
    }

    @Override
    public Map<CubeId, Map.Entry<String, String>> sessions(Collection<CubeId> ids) {
        Map<CubeId, Map.Entry<String, String>> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        SolrQuery q = new SolrQuery("*:*").addFilterQuery("{!terms f=" + ID + "}"
                        + ids.stream().map(CubeId::toString).collect(Collectors.joining(",")))
                .setFields(ID, SESSION).setRows(ids.size());
        q.set("distrib.singlePass", true);
        for (SolrDocument d : query(q).getResults()) {
            String session = (String) d.getFieldValue(SESSION); // stored only: not a filter
            if (session == null) {
                continue;
            }
            int split = session.indexOf(SESSION_SPLIT); // space, then session id
            out.put(CubeId.parse((String) d.getFieldValue(ID)),
                    Map.entry(session.substring(0, split), session.substring(split + 1)));
        }
        return out;
    }

    @Override
    public Optional<float[]> vector(CubeId id) {
        return entry(id, VECTOR).map(d -> d.getFieldValues(VECTOR)).map(values -> {
            float[] out = new float[values.size()];
            int i = 0;
            for (Object x : values) {
                out[i++] = ((Number) x).floatValue();
            }
            return out;
        });
    }

    /** The cube's entry (as committed so far) when it has {@code field}. */
    private Optional<SolrDocument> entry(CubeId id, String field) {
        SolrQuery q = new SolrQuery(SolrFilters.term(ID, id.toString())).setFields(ID, field).setRows(1);
        return query(q).getResults().stream().filter(d -> d.getFieldValue(field) != null).findFirst();
    }

    @Override
    public IndexCandidates search(IndexQuery query) {
        lastSearch = System.nanoTime();
        List<String> filters = SolrFilters.of(query);
        String words = query.text() == null ? " " : words(query.text());
        java.util.Set<CubeId> named = ConcurrentHashMap.newKeySet();
        // the lists do not depend on one another: their requests run side by side, each on a virtual thread
        CompletableFuture<List<IndexCandidates.Scored>> keyword = NONE;
        CompletableFuture<List<IndexCandidates.Scored>> contextKeyword = NONE;
        CompletableFuture<List<IndexCandidates.Scored>> vector = NONE;
        CompletableFuture<List<IndexCandidates.Scored>> contextVector = NONE;
        if (query.mode().usesVectors() && query.vector() != null) {
            vector = list(() -> scored(nearest(VECTOR, query, filters), query, words, named));
            List<String> selves = new ArrayList<>(filters);
            selves.add(SolrFilters.term(CONTEXT_STATE, SELF));
            contextVector = list(() -> scored(nearest(CONTEXT_VECTOR, query, filters), query, words, named)).thenCombine(
                    list(() -> scored(nearest(VECTOR, query, selves), query, words, named)),
                    (windows, own) -> IndexCandidates.Scored.best(
                            java.util.stream.Stream.concat(windows.stream(), own.stream()).toList(), query.candidates()));
        }
        if (query.mode().usesKeywords() && query.text() != null) {
            List<String> terms = terms(query.text());
            if (!terms.isEmpty()) {
                Map<String, SolrKeywords.Statistics> scopes = keywords.statistics(List.of(TEXT, CONTEXT), terms, query);
                keyword = list(() -> scored(keywords.query(TEXT, terms, query, filters, scopes.get(TEXT)), query, words,
                        named));
                contextKeyword = list(() -> scored(keywords.query(CONTEXT, terms, query, filters, scopes.get(CONTEXT)),
                        query, words, named));
            }
        }
        return new IndexCandidates(joined(keyword), joined(vector), joined(contextKeyword), joined(contextVector), named);
    }

    private static final CompletableFuture<List<IndexCandidates.Scored>> NONE = CompletableFuture.completedFuture(List.of());

    private CompletableFuture<List<IndexCandidates.Scored>> list(Supplier<List<IndexCandidates.Scored>> request) {
        return CompletableFuture.supplyAsync(request, lists);
    }

    /** A list's hits; its request's failure as thrown by it (an {@link UnavailableException} stays one). */
    private static List<IndexCandidates.Scored> joined(CompletableFuture<List<IndexCandidates.Scored>> list) {
        try {
            return list.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** The least number of neighbours a kNN search explores, however few candidates are asked for. */
    static final int MIN_BEAM = 100;

    private SolrQuery nearest(String field, IndexQuery query, List<String> filters) {
        int beam = Math.max(MIN_BEAM, query.candidates());
        StringBuilder v = new StringBuilder("[");
        for (int i = 0; i < query.vector().length; i++) {
            v.append(i == 0 ? "" : ",").append(query.vector()[i]);
        }
        SolrQuery q = new SolrQuery("{!knn f=" + field + " topK=" + beam + "}" + v.append(']'));
        filters.forEach(q::addFilterQuery);
        return q.setRows(query.candidates());
    }

    /** Runs a list's query; a hit whose data subject the query names (whole words of {@code words}) joins {@code named}. */
    private List<IndexCandidates.Scored> scored(SolrQuery q, IndexQuery query, String words, java.util.Set<CubeId> named) {
        q.setFields(ID, VERSION, SUBJECT, "score").addSort("score", SolrQuery.ORDER.desc).addSort(ID, SolrQuery.ORDER.asc);
        List<IndexCandidates.Scored> out = new ArrayList<>();
        for (SolrDocument d : query(SolrFilters.routed(q, query.spaces())).getResults()) {
            CubeId id = CubeId.parse((String) d.getFieldValue(ID));
            out.add(new IndexCandidates.Scored(id, ((Number) d.getFieldValue(VERSION)).intValue(),
                    ((Number) d.getFieldValue("score")).floatValue()));
            String subject = (String) d.getFieldValue(SUBJECT);
            if (subject != null && words.contains(subject)) {
                named.add(id);
            }
        }
        return out;
    }

    @Override
    public Map<CubeId, Integer> indexedVersions() {
        refresh();
        Map<CubeId, Integer> versions = new HashMap<>();
        String cursor = CursorMarkParams.CURSOR_MARK_START;
        while (true) {
            SolrQuery q = new SolrQuery("*:*").setFields(ID, VERSION).setRows(10_000).setSort(ID, SolrQuery.ORDER.asc);
            q.set(CursorMarkParams.CURSOR_MARK_PARAM, cursor);
            QueryResponse page = query(q);
            for (SolrDocument d : page.getResults()) {
                versions.put(CubeId.parse((String) d.getFieldValue(ID)), ((Number) d.getFieldValue(VERSION)).intValue());
            }
            if (cursor.equals(page.getNextCursorMark())) {
                return versions;
            }
            cursor = page.getNextCursorMark();
        }
    }

    @Override
    public synchronized void clear() {
        adds.clear();
        call("clear", () -> client.deleteByQuery(collection, "*:*"));
        commit();
    }

    /**
     * A deleted document stays in its segment until a merge rewrites it, and in the update log until it rolls
     * ({@link SolrErasure}). This asks until no replica's segments hold a term of the cubes (their ids), live or
     * deleted, or {@value #EXPUNGE_LIMIT_MS} ms have passed.
     */
    @Override
    public long expungeRemoved(Collection<CubeId> cubes) {
        return expunge(ID, cubes.stream().map(CubeId::toString).toList());
    }

    @Override
    public long expungeRemovedSpace(String space) {
        return expunge(SPACE, List.of(space));
    }

    private long expunge(String field, List<String> values) {
        long deadline = System.nanoTime() + EXPUNGE_LIMIT_MS * 1_000_000L;
        while (true) {
            synchronized (this) {
                flush();
                erasure.expungeDeletes();
            }
            long held = erasure.held(field, values);
            if (held == 0 || System.nanoTime() > deadline) {
                return held;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return held;
            }
        }
    }

    /** How many of the values still have a term in some replica's segments, deleted documents included. */
    long held(String field, List<String> values) {
        return erasure.held(field, values);
    }

    QueryResponse query(SolrQuery q) {
        return call("search", () -> client.query(collection, q));
    }

    interface SolrCall<T> {
        T call() throws SolrServerException, IOException;
    }

    <T> T call(String what, SolrCall<T> call) {
        return call(collection, what, call);
    }

    /**
     * Runs a request to the cluster. A cluster that cannot be reached or answers with a server error is
     * {@link UnavailableException} (a 503 to a caller, retried by the indexer); any other refusal is a fault of memos.
     */
    static <T> T call(String collection, String what, SolrCall<T> call) {
        try {
            return call.call();
        } catch (IOException | SolrServerException e) {
            // SolrJ's load balancer reports a request every node refused as "No live SolrServers": a 4xx among the
            // causes is a request memos built wrong, not a cluster that is away
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof org.apache.solr.common.SolrException refused && refused.code() >= 400
                        && refused.code() < 500) {
                    throw new IllegalStateException("Solr refused to " + what + " the collection " + collection + ": "
                            + refused.getMessage(), e);
                }
            }
            throw new UnavailableException("cannot " + what + " the Solr collection " + collection + ": "
                    + e.getMessage(), e);
        } catch (org.apache.solr.common.SolrException e) {
            if (e.code() >= 500) {
                throw new UnavailableException("cannot " + what + " the Solr collection " + collection + ": "
                        + e.getMessage(), e);
            }
            throw new IllegalStateException("Solr refused to " + what + " the collection " + collection + ": "
                    + e.getMessage(), e);
        } catch (UnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            // SolrJ's cluster state lookup reports a cluster it cannot reach as a bare RuntimeException
            if (e.getClass() == RuntimeException.class && String.valueOf(e.getMessage()).contains("live_nodes")) {
                throw new UnavailableException("cannot " + what + " the Solr collection " + collection + ": "
                        + e.getMessage(), e);
            }
            throw e;
        }
    }

    private void closeQuietly() {
        lists.shutdown();
        try {
            client.close();
        } catch (IOException ignored) {
            // nothing was opened with it yet
        }
    }

    @Override
    public synchronized void close() throws IOException {
        flush();
        lists.shutdown();
        client.close();
    }
}
