package dev.memos.cubes.search.lucene;

import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.search.IndexCandidates;
import dev.memos.kernel.search.IndexQuery;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.util.QueryBuilder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.memos.cubes.search.lucene.IndexDocuments.*;

/**
 * One search on one point-in-time view of the index: the keyword lists (BM25 with the statistics of the spaces
 * searched) and the vector lists (HNSW kNN with the filter applied inside the graph walk), over the cubes' text and
 * their context windows, and which hits name the query's data subject.
 */
final class IndexSearch {
    /** The least number of neighbours a kNN search explores, however few candidates are asked for. */
    static final int MIN_BEAM = 100;
    private static final Set<String> HIT_FIELDS = Set.of(ID, VERSION, SUBJECT);
    private static final Comparator<ScoreDoc> BEST_FIRST =
            Comparator.comparingDouble((ScoreDoc h) -> -h.score).thenComparingInt(h -> h.doc);

    private final Analyzer analyzer;
    private final ScopedStatistics.Cache scopes;

    /** Whether the graph's scores are approximate (quantized vectors): the beam is then scored again exactly. */
    private final boolean rescore;

    IndexSearch(Analyzer analyzer, ScopedStatistics.Cache scopes, boolean rescore) {
        this.analyzer = analyzer;
        this.scopes = scopes;
        this.rescore = rescore;
    }

    IndexCandidates search(IndexSearcher searcher, IndexQuery query, Query filter) throws IOException {
        List<IndexCandidates.Scored> keyword = List.of();
        List<IndexCandidates.Scored> contextKeyword = List.of();
        List<IndexCandidates.Scored> vector = List.of();
        List<IndexCandidates.Scored> contextVector = List.of();
        Set<CubeId> named = new HashSet<>();
        String text = query.text() == null ? " " : words(query.text());
        if (query.mode().usesKeywords()) {
            IndexSearcher scoped = new ScopedStatistics(searcher.getIndexReader(), IndexFilter.spaces(query),
                    Set.copyOf(query.spaces()), scopes);
            keyword = keyword(scoped, TEXT, query, filter, text, named);
            contextKeyword = keyword(scoped, CONTEXT, query, filter, text, named);
        }
        if (query.mode().usesVectors() && query.vector() != null) {
            vector = scored(searcher, best(query, nearest(searcher, VECTOR, query, filter)), text, named);
            // a window vector is either indexed as such or, for a window of the cube alone, is its own vector
            Query self = new BooleanQuery.Builder().add(filter, Occur.FILTER)
                    .add(new TermQuery(SELF), Occur.FILTER).build();
            contextVector = scored(searcher, best(query, merged(nearest(searcher, CONTEXT_VECTOR, query, filter),
                    nearest(searcher, VECTOR, query, self))), text, named);
        }
        return new IndexCandidates(keyword, vector, contextKeyword, contextVector, named);
    }

    private List<IndexCandidates.Scored> keyword(IndexSearcher searcher, String field, IndexQuery query, Query filter,
                                                 String text, Set<CubeId> named) throws IOException {
        Query words = new QueryBuilder(analyzer).createBooleanQuery(field, query.text(), Occur.SHOULD);
        if (words == null) {
            return List.of();
        }
        Query bm25 = new BooleanQuery.Builder().add(words, Occur.MUST).add(filter, Occur.FILTER).build();
        return scored(searcher, searcher.search(bm25, query.candidates()), text, named);
    }

    /** The beam of a kNN search of {@code field}, best first, with exact scores. */
    private TopDocs nearest(IndexSearcher searcher, String field, IndexQuery query, Query filter) throws IOException {
        // the graph is explored at least MIN_BEAM wide (recall grows with the beam); the best are kept
        int beam = Math.max(MIN_BEAM, query.candidates());
        TopDocs top = searcher.search(new KnnFloatVectorQuery(field, query.vector(), beam, filter), beam);
        return rescore ? rescored(searcher, field, query.vector(), top) : top;
    }

    /** The hits of two kNN searches of disjoint documents with comparable scores, best first. */
    private static TopDocs merged(TopDocs a, TopDocs b) {
        ScoreDoc[] hits = Arrays.copyOf(a.scoreDocs, a.scoreDocs.length + b.scoreDocs.length);
        System.arraycopy(b.scoreDocs, 0, hits, a.scoreDocs.length, b.scoreDocs.length);
        Arrays.sort(hits, BEST_FIRST);
        return new TopDocs(new TotalHits(hits.length, TotalHits.Relation.GREATER_THAN_OR_EQUAL_TO), hits);
    }

    private static TopDocs best(IndexQuery query, TopDocs top) {
        int kept = Math.min(top.scoreDocs.length, query.candidates());
        return new TopDocs(top.totalHits, Arrays.copyOf(top.scoreDocs, kept));
    }

    /**
     * The hits scored with their full vectors (read from disk, in document order), best first: exact scores and order
     * where the graph walked quantized vectors. (Lucene's own RescoreTopNQuery fails on a field without hits.)
     */
    private static TopDocs rescored(IndexSearcher searcher, String field, float[] target, TopDocs top) throws IOException {
        ScoreDoc[] hits = top.scoreDocs.clone();
        Arrays.sort(hits, Comparator.comparingInt((ScoreDoc h) -> h.doc));
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        int leaf = -1;
        FloatVectorValues values = null;
        KnnVectorValues.DocIndexIterator vectors = null;
        for (ScoreDoc hit : hits) {
            int at = ReaderUtil.subIndex(hit.doc, leaves);
            if (at != leaf) {
                leaf = at;
                values = leaves.get(at).reader().getFloatVectorValues(field);
                vectors = values == null ? null : values.iterator();
            }
            int doc = hit.doc - leaves.get(at).docBase;
            if (vectors != null && vectors.advance(doc) == doc) {
                hit.score = SIMILARITY.compare(target, values.vectorValue(vectors.index()));
            }
        }
        Arrays.sort(hits, BEST_FIRST);
        return new TopDocs(top.totalHits, hits);
    }

    /**
     * The hits as candidates; a hit whose data subject the query names (whole words of {@code text}, the query's
     * {@link #words}; the subject is stored as its words at indexing) joins {@code named}.
     */
    private static List<IndexCandidates.Scored> scored(IndexSearcher searcher, TopDocs top, String text,
                                                       Set<CubeId> named) throws IOException {
        StoredFields stored = searcher.storedFields();
        List<IndexCandidates.Scored> out = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc hit : top.scoreDocs) {
            Document d = stored.document(hit.doc, HIT_FIELDS);
            CubeId id = CubeId.parse(d.get(ID));
            out.add(new IndexCandidates.Scored(id, d.getField(VERSION).numericValue().intValue(), hit.score));
            String subject = d.get(SUBJECT);
            if (subject != null && text.contains(subject)) {
                named.add(id);
            }
        }
        return out;
    }
}
