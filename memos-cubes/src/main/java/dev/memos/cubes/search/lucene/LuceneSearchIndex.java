package dev.memos.cubes.search.lucene;

import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.search.ContextWindow;
import dev.memos.kernel.search.IndexCandidates;
import dev.memos.kernel.search.IndexQuery;
import dev.memos.kernel.spi.SearchIndex;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene103.Lucene103Codec;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.memos.cubes.search.lucene.IndexDocuments.*;

/**
 * The search index in Apache Lucene on local disk: BM25 over English-analysed text (its statistics taken
 * over the spaces searched, {@link ScopedStatistics}), an HNSW vector
 * field (dot product on unit vectors), and exact-match filter fields. The embedding model and
 * dimension are written into every commit; opening an index built with another model fails with
 * the way out, unless told to start empty for a rebuild.
 */
public final class LuceneSearchIndex implements SearchIndex, AutoCloseable {
    static {
        // TermsEnum's static EMPTY is a BaseTermsEnum, its own subclass: two threads first touching the two classes
        // (a hybrid search's keyword and vector lists, or a search and the indexer) deadlock in class
        // initialisation (seen in bench-search; apache/lucene#15319, fixed after 10.3). Initialise both here, once.
        TermsEnum.EMPTY.getClass();
    }

    private static final Set<String> ID_AND_VERSION = Set.of(ID, VERSION);

    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Analyzer analyzer = new EnglishAnalyzer();
    /** Which documents of each segment belong to the spaces recently searched (keyword statistics per space). */
    private final ScopedStatistics.Cache scopes = new ScopedStatistics.Cache(256);
    private final IndexSearch searching;
    private final IndexExpunge expunge;
    private final String model;
    private final int dimension;
    private final boolean startedEmpty;
    /** When the last search began ({@link System#nanoTime}). */
    private volatile long lastSearch = System.nanoTime() - java.util.concurrent.TimeUnit.DAYS.toNanos(1);

    /** An index with the service's default {@link VectorQuantization#int7}. */
    public LuceneSearchIndex(Path path, String model, int dimension, boolean rebuildOnMismatch) {
        this(path, model, dimension, rebuildOnMismatch, VectorQuantization.int7);
    }

    /**
     * @param rebuildOnMismatch when the index on disk was built with another model or dimension,
     *                          empty it (the caller then rebuilds from the database) instead of failing
     * @param quantization      how the HNSW graph keeps its vectors (the full vectors are kept too)
     */
    public LuceneSearchIndex(Path path, String model, int dimension, boolean rebuildOnMismatch,
                             VectorQuantization quantization) {
        this.model = model;
        this.dimension = dimension;
        this.searching = new IndexSearch(analyzer, scopes, quantization.approximate());
        try {
            directory = quantization.directory(path);
            boolean existed = DirectoryReader.indexExists(directory);
            boolean emptied = false;
            if (existed) {
                Map<String, String> built;
                try (DirectoryReader reader = DirectoryReader.open(directory)) {
                    built = reader.getIndexCommit().getUserData();
                }
                boolean same = model.equals(built.get("model")) && Integer.toString(dimension).equals(built.get("dimension"));
                if (!same && !rebuildOnMismatch) {
                    throw new IllegalStateException("the search index at " + path + " was built with model "
                            + built.get("model") + " (" + built.get("dimension") + " dimensions) but memos is configured "
                            + "with " + model + " (" + dimension + "); rebuild it from the database: start once with "
                            + "memos.search.rebuild-on-mismatch=true (or delete " + path + ")");
                }
                emptied = !same;
            }
            IndexWriterConfig config = new IndexWriterConfig(analyzer);
            config.setOpenMode(emptied ? IndexWriterConfig.OpenMode.CREATE : IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
            config.setRAMBufferSizeMB(64);
            KnnVectorsFormat vectors = quantization.format();
            config.setCodec(new Lucene103Codec() {
                @Override
                public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                    return vectors;
                }
            });
            // one file per kind of data (no compound files), so that the directory can tell the full vectors apart
            config.setUseCompoundFile(false);
            TieredMergePolicy merges = new TieredMergePolicy();
            merges.setNoCFSRatio(0);
            merges.setForceMergeDeletesPctAllowed(0); // expungeRemoved rewrites every segment with a deleted document
            config.setMergePolicy(merges);
            writer = new IndexWriter(directory, config);
            writer.setLiveCommitData(Map.of("model", model, "dimension", Integer.toString(dimension)).entrySet());
            writer.commit();
            searchers = new SearcherManager(writer, null);
            expunge = new IndexExpunge(writer, searchers, this::commit);
            startedEmpty = !existed || emptied;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the search index at " + path, e);
        }
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
    public void upsert(MemCube cube, float[] vector, ContextWindow.Window context) {
        if (vector != null) {
            checked(vector);
        }
        if (context != null && context.vector() != null) {
            checked(context.vector());
        }
        Document doc = IndexDocuments.document(cube, vector, context);
        try {
            writer.updateDocument(new Term(ID, cube.id().toString()), doc);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot index cube " + cube.id(), e);
        }
    }

    private float[] checked(float[] vector) {
        if (vector.length != dimension) {
            throw new IllegalArgumentException("vector has " + vector.length + " dimensions, the index " + dimension);
        }
        return vector;
    }

    @Override
    public Optional<Map.Entry<String, String>> session(CubeId id) {
        return withEntry(id, "the session", (searcher, doc) -> {
            String session = searcher.storedFields().document(doc, Set.of(SESSION)).get(SESSION);
            if (session == null) {
                return Optional.empty();
            }
            int split = session.indexOf(SESSION_SPLIT);
            return Optional.of(Map.entry(session.substring(0, split), session.substring(split + 1)));
        });
    }

    /** What {@code read} finds in the cube's entry (as committed so far); empty when the cube is not indexed. */
    private <T> Optional<T> withEntry(CubeId id, String what, EntryReader<T> read) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                TopDocs top = searcher.search(new TermQuery(new Term(ID, id.toString())), 1);
                return top.scoreDocs.length == 0 ? Optional.empty() : read.read(searcher, top.scoreDocs[0].doc);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + what + " of cube " + id + " failed", e);
        }
    }

    private interface EntryReader<T> {
        Optional<T> read(IndexSearcher searcher, int doc) throws IOException;
    }

    @Override
    public void remove(CubeId id) {
        try {
            writer.deleteDocuments(new Term(ID, id.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove cube " + id + " from the index", e);
        }
    }

    @Override
    public void removeSpace(String space) {
        try {
            writer.deleteDocuments(new Term(SPACE, space));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove space " + space + " from the index", e);
        }
    }

    @Override
    public boolean contains(CubeId id) {
        return countCommitted(new TermQuery(new Term(ID, id.toString()))) > 0;
    }

    @Override
    public long count(String space) {
        return countCommitted(new TermQuery(new Term(SPACE, space)));
    }

    @Override
    public java.time.Duration sinceLastSearch() {
        return java.time.Duration.ofNanos(System.nanoTime() - lastSearch);
    }

    @Override
    public List<CubeId> pendingWindows(int limit) {
        return readCommitted("list the pending windows of", searcher -> {
            List<CubeId> out = new ArrayList<>();
            StoredFields stored = searcher.storedFields();
            for (var hit : searcher.search(new TermQuery(PENDING), Math.max(1, limit)).scoreDocs) {
                out.add(CubeId.parse(stored.document(hit.doc, Set.of(ID)).get(ID)));
            }
            return out;
        });
    }

    @Override
    public long countPendingWindows(String space) {
        if (space == null) {
            return countCommitted(new TermQuery(PENDING));
        }
        return countCommitted(new BooleanQuery.Builder()
                .add(new TermQuery(PENDING), Occur.FILTER)
                .add(new TermQuery(new Term(SPACE, space)), Occur.FILTER).build());
    }

    private long countCommitted(Query query) {
        return readCommitted("count in", searcher -> (long) searcher.count(query));
    }

    /** What {@code read} finds in the index with every change so far (committed or not) visible. */
    private <T> T readCommitted(String what, SearcherReader<T> read) {
        try {
            searchers.maybeRefreshBlocking();
            IndexSearcher searcher = searchers.acquire();
            try {
                return read.read(searcher);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot " + what + " the search index", e);
        }
    }

    private interface SearcherReader<T> {
        T read(IndexSearcher searcher) throws IOException;
    }

    /**
     * A deleted document stays in its segment's files (only a bit says it is gone) until the segment is merged;
     * {@link IndexWriter#forceMergeDeletes} with {@code forceMergeDeletesPctAllowed} 0 merges every segment that
     * has one, and the commit lets the writer delete the old segments' files. A segment that a natural merge is
     * rewriting already is skipped by it (that merge reclaims the deletes but is not waited for), so this asks
     * again until no segment holds a document of the cubes, live or deleted (postings list deleted documents
     * too), or {@value #EXPUNGE_LIMIT_MS} ms have passed. Other deleted documents (updates under way) do not
     * hold it up.
     */
    @Override
    public long expungeRemoved(java.util.Collection<CubeId> cubes) {
        return expunge.expunge(cubes.stream().map(id -> new Term(ID, id.toString())).toList());
    }

    @Override
    public long expungeRemovedSpace(String space) {
        return expunge.expunge(List.of(new Term(SPACE, space)));
    }

    private static final int MERGE_ROUNDS = 3;

    @Override
    public void commit() {
        try {
            writer.commit();
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit the search index", e);
        }
    }

    @Override
    public IndexCandidates search(IndexQuery query) {
        lastSearch = System.nanoTime();
        Query filter = IndexFilter.of(query);
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return searching.search(searcher, query, filter);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("searching the index failed", e);
        }
    }

    @Override
    public Optional<float[]> vector(CubeId id) {
        return withEntry(id, "the vector", (searcher, doc) -> {
            List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
            LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
            FloatVectorValues values = leaf.reader().getFloatVectorValues(VECTOR);
            if (values == null) {
                return Optional.empty();
            }
            KnnVectorValues.DocIndexIterator it = values.iterator();
            int target = doc - leaf.docBase;
            if (it.advance(target) != target) {
                return Optional.empty();
            }
            return Optional.of(values.vectorValue(it.index()).clone());
        });
    }

    @Override
    public Map<CubeId, Integer> indexedVersions() {
        Map<CubeId, Integer> versions = new HashMap<>();
        try {
            searchers.maybeRefreshBlocking();
            IndexSearcher searcher = searchers.acquire();
            try {
                for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                    StoredFields stored = leaf.reader().storedFields();
                    var live = leaf.reader().getLiveDocs();
                    for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
                        if (live == null || live.get(doc)) {
                            Document d = stored.document(doc, ID_AND_VERSION);
                            versions.put(CubeId.parse(d.get(ID)), d.getField(VERSION).numericValue().intValue());
                        }
                    }
                }
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the index failed", e);
        }
        return versions;
    }

    @Override
    public void clear() {
        try {
            writer.deleteAll();
            commit();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear the search index", e);
        }
    }

    /**
     * Merges the index down to at most {@code maxSegments} segments (one HNSW graph each); slow on large indexes.
     * Writes go on meanwhile, and the commit flushes the ones that arrived during the merge as a new segment, so
     * this merges again (at most {@value #MERGE_ROUNDS} rounds) until the committed index has no more segments than
     * asked for; under a steady stream of writes it may end with a few more.
     */
    public void forceMerge(int maxSegments) {
        try {
            for (int round = 0; round < MERGE_ROUNDS; round++) {
                writer.forceMerge(maxSegments);
                commit();
                if (segments() <= maxSegments) {
                    return;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot merge the search index", e);
        }
    }

    /** How many segments a search walks. */
    public int segments() {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return searcher.getIndexReader().leaves().size();
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes the index takes on disk. */
    public long sizeOnDisk() {
        try {
            long total = 0;
            for (String file : directory.listAll()) {
                total += directory.fileLength(file);
            }
            return total;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        searchers.close();
        writer.close();
        directory.close();
    }
}
