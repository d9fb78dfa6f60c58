package dev.memos.cubes.search.lucene;

import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.TextPayload;
import dev.memos.kernel.search.IndexCandidates;
import dev.memos.kernel.search.IndexQuery;
import dev.memos.kernel.search.SearchFilters;
import dev.memos.kernel.spi.SearchIndex;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.QueryBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The search index in Apache Lucene on local disk: BM25 over English-analysed text, an HNSW vector
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

    static final String ID = "id";
    static final String VERSION = "version";
    static final String SPACE = "space";
    static final String TIER = "tier";
    static final String STATE = "state";
    static final String KIND = "kind";
    static final String TAG = "tag";
    static final String SENSITIVITY = "sensitivity";
    static final String PURPOSE = "purpose";
    static final String VALID_FROM = "validFrom";
    static final String VALID_TO = "validTo";
    static final String RECORDED_AT = "recordedAt";
    static final String TEXT = "text";
    static final String VECTOR = "vector";
    private static final String NO_PURPOSE = "\u0000any";
    private static final Set<String> ID_AND_VERSION = Set.of(ID, VERSION);

    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Analyzer analyzer = new EnglishAnalyzer();
    private final String model;
    private final int dimension;
    private final boolean startedEmpty;

    /**
     * @param rebuildOnMismatch when the index on disk was built with another model or dimension,
     *                          empty it (the caller then rebuilds from the database) instead of failing
     */
    public LuceneSearchIndex(Path path, String model, int dimension, boolean rebuildOnMismatch) {
        this.model = model;
        this.dimension = dimension;
        try {
            directory = FSDirectory.open(path);
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
            TieredMergePolicy merges = new TieredMergePolicy();
            merges.setForceMergeDeletesPctAllowed(0); // expungeRemoved rewrites every segment with a deleted document
            config.setMergePolicy(merges);
            writer = new IndexWriter(directory, config);
            writer.setLiveCommitData(Map.of("model", model, "dimension", Integer.toString(dimension)).entrySet());
            writer.commit();
            searchers = new SearcherManager(writer, null);
            startedEmpty = !existed || emptied;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the search index at " + path, e);
        }
    }

    /** Whether the index started without entries (new, or emptied after a model change): it needs a rebuild. */
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
    public void upsert(MemCube cube, float[] vector) {
        Document doc = new Document();
        doc.add(new StringField(ID, cube.id().toString(), Field.Store.YES));
        doc.add(new StoredField(VERSION, cube.version()));
        doc.add(new StringField(SPACE, cube.space(), Field.Store.NO));
        doc.add(new StringField(TIER, cube.tier().name(), Field.Store.NO));
        doc.add(new StringField(STATE, cube.state().name(), Field.Store.NO));
        if (cube.payload() instanceof TextPayload text) {
            doc.add(new StringField(KIND, text.kind(), Field.Store.NO));
            text.tags().forEach(tag -> doc.add(new StringField(TAG, tag, Field.Store.NO)));
            doc.add(new TextField(TEXT, text.text(), Field.Store.NO));
        }
        cube.governance().sensitivity().forEach(s -> doc.add(new StringField(SENSITIVITY, s, Field.Store.NO)));
        String purpose = cube.governance().purpose();
        doc.add(new StringField(PURPOSE, purpose == null ? NO_PURPOSE : purpose, Field.Store.NO));
        doc.add(new LongField(VALID_FROM, millis(cube.time().validFrom(), Long.MIN_VALUE), Field.Store.NO));
        doc.add(new LongField(VALID_TO, millis(cube.time().validTo(), Long.MAX_VALUE), Field.Store.NO));
        doc.add(new LongField(RECORDED_AT, cube.time().recordedAt().toEpochMilli(), Field.Store.NO));
        if (vector != null) {
            if (vector.length != dimension) {
                throw new IllegalArgumentException("vector has " + vector.length + " dimensions, the index " + dimension);
            }
            doc.add(new KnnFloatVectorField(VECTOR, vector, VectorSimilarityFunction.DOT_PRODUCT));
        }
        try {
            writer.updateDocument(new Term(ID, cube.id().toString()), doc);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot index cube " + cube.id(), e);
        }
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

    private long countCommitted(Query query) {
        try {
            searchers.maybeRefreshBlocking();
            IndexSearcher searcher = searchers.acquire();
            try {
                return searcher.count(query);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot count in the search index", e);
        }
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
        return expunge(cubes.stream().map(id -> new Term(ID, id.toString())).toList());
    }

    @Override
    public long expungeRemovedSpace(String space) {
        return expunge(List.of(new Term(SPACE, space)));
    }

    private long expunge(List<Term> terms) {
        try {
            long deadline = System.nanoTime() + EXPUNGE_LIMIT_MS * 1_000_000L;
            while (true) {
                writer.forceMergeDeletes(true);
                commit();
                long held = held(terms);
                if (held == 0 || System.nanoTime() > deadline) {
                    return held;
                }
                Thread.sleep(20);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite the search index", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return held(terms);
        }
    }

    private static final long EXPUNGE_LIMIT_MS = 30_000;

    /** How many of the terms have a posting, of a live or a deleted document, in some segment. */
    private long held(List<Term> terms) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                long held = 0;
                for (Term term : terms) {
                    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                        org.apache.lucene.index.PostingsEnum postings = leaf.reader().postings(term);
                        if (postings != null && postings.nextDoc() != org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS) {
                            held++;
                            break;
                        }
                    }
                }
                return held;
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

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
        Query filter = filter(query);
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                List<IndexCandidates.Scored> keyword = List.of();
                List<IndexCandidates.Scored> vector = List.of();
                if (query.mode().usesKeywords()) {
                    Query words = new QueryBuilder(analyzer).createBooleanQuery(TEXT, query.text(), Occur.SHOULD);
                    if (words != null) {
                        Query bm25 = new BooleanQuery.Builder().add(words, Occur.MUST).add(filter, Occur.FILTER).build();
                        keyword = scored(searcher, searcher.search(bm25, query.candidates()));
                    }
                }
                if (query.mode().usesVectors() && query.vector() != null) {
                    // the graph is explored at least MIN_BEAM wide (recall grows with the beam); the best are kept
                    int beam = Math.max(MIN_BEAM, query.candidates());
                    TopDocs top = searcher.search(new KnnFloatVectorQuery(VECTOR, query.vector(), beam, filter), beam);
                    vector = scored(searcher, new TopDocs(top.totalHits, Arrays.copyOf(top.scoreDocs,
                            Math.min(top.scoreDocs.length, query.candidates()))));
                }
                return new IndexCandidates(keyword, vector);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("searching the index failed", e);
        }
    }

    /** The least number of neighbours a kNN search explores, however few candidates are asked for. */
    static final int MIN_BEAM = 100;

    static Query filter(IndexQuery query) {
        SearchFilters f = query.filters();
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        b.add(terms(SPACE, query.spaces()), Occur.FILTER);
        b.add(terms(STATE, f.states().stream().map(LifecycleState::name).toList()), Occur.FILTER);
        if (!f.tiers().isEmpty()) {
            b.add(terms(TIER, f.tiers().stream().map(Enum::name).toList()), Occur.FILTER);
        }
        if (!f.kinds().isEmpty()) {
            b.add(terms(KIND, f.kinds()), Occur.FILTER);
        }
        f.tags().forEach(tag -> b.add(new TermQuery(new Term(TAG, tag)), Occur.FILTER));
        f.sensitivity().forEach(s -> b.add(new TermQuery(new Term(SENSITIVITY, s)), Occur.FILTER));
        f.excludeSensitivity().forEach(s -> b.add(new TermQuery(new Term(SENSITIVITY, s)), Occur.MUST_NOT));
        if (f.purpose() != null) {
            b.add(terms(PURPOSE, List.of(f.purpose(), NO_PURPOSE)), Occur.FILTER);
        }
        long at = query.validAt().toEpochMilli();
        b.add(LongField.newRangeQuery(VALID_FROM, Long.MIN_VALUE, at), Occur.FILTER);
        b.add(LongField.newRangeQuery(VALID_TO, at + 1, Long.MAX_VALUE), Occur.FILTER);
        if (f.recordedFrom() != null || f.recordedTo() != null) {
            b.add(LongField.newRangeQuery(RECORDED_AT, millis(f.recordedFrom(), Long.MIN_VALUE),
                    f.recordedTo() == null ? Long.MAX_VALUE : f.recordedTo().toEpochMilli() - 1), Occur.FILTER);
        }
        return b.build();
    }

    private static Query terms(String field, Collection<String> values) {
        return new TermInSetQuery(field, values.stream().map(BytesRef::new).toList());
    }

    private static List<IndexCandidates.Scored> scored(IndexSearcher searcher, TopDocs top) throws IOException {
        StoredFields stored = searcher.storedFields();
        List<IndexCandidates.Scored> out = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc hit : top.scoreDocs) {
            Document d = stored.document(hit.doc, ID_AND_VERSION);
            out.add(new IndexCandidates.Scored(CubeId.parse(d.get(ID)), d.getField(VERSION).numericValue().intValue(), hit.score));
        }
        return out;
    }

    @Override
    public Optional<float[]> vector(CubeId id) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                TopDocs top = searcher.search(new TermQuery(new Term(ID, id.toString())), 1);
                if (top.scoreDocs.length == 0) {
                    return Optional.empty();
                }
                int doc = top.scoreDocs[0].doc;
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
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the vector of cube " + id + " failed", e);
        }
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

    /** Merges the index down to at most {@code maxSegments} segments (one HNSW graph each); slow on large indexes. */
    public void forceMerge(int maxSegments) {
        try {
            writer.forceMerge(maxSegments);
            commit();
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

    private static long millis(Instant instant, long fallback) {
        return instant == null ? fallback : instant.toEpochMilli();
    }

    @Override
    public void close() throws IOException {
        searchers.close();
        writer.close();
        directory.close();
    }
}
