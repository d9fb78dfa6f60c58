package dev.memos.cubes.search.lucene;

import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.CollectionStatistics;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TermStatistics;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.SmallFloat;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A searcher whose BM25 statistics (document count, average length, a term's document frequency) come
 * from the live documents of a scope — the spaces a search covers — instead of the whole shared index.
 * With whole-index statistics one tenant's texts change another's keyword scores, and a reader who sees
 * scores (explain) could probe whether a word occurs in spaces they cannot read; here a space's scores
 * depend on that space alone, and erased documents no index merge has yet dropped count for nothing.
 * <p>
 * One instance serves one search. The scope's documents and per-field sums are kept per segment in a {@link Cache}
 * shared across searches (a new segment costs one pass over the scope's postings and norms); a term's statistics
 * walk its postings within them.
 * Document lengths are read back from the norms, which are exact below 24 tokens and within about 10 %
 * above; BM25 uses them only through the average.
 */
final class ScopedStatistics extends IndexSearcher {
    /** One segment's documents in one scope, with the per-field sums over them (computed once, then reused). */
    static final class LeafScope {
        final FixedBitSet docs;
        final int size;
        final Map<String, long[]> fields = new java.util.concurrent.ConcurrentHashMap<>();

        LeafScope(FixedBitSet docs) {
            this.docs = docs;
            this.size = docs.cardinality();
        }
    }

    /**
     * Scopes of recent segments. A segment reader is reused across refreshes until the segment merges away or gains
     * deletions (then its cache key, and so the entry, changes), so a search after a write recomputes only the new
     * segment's part. Bounded: least recently used entries go first.
     */
    static final class Cache {
        private final int capacity;
        private final Map<Object, LeafScope> entries;

        Cache(int capacity) {
            this.capacity = capacity;
            this.entries = new java.util.LinkedHashMap<>(16, 0.75f, true);
        }

        synchronized LeafScope get(Object key) {
            return entries.get(key);
        }

        synchronized void put(Object key, LeafScope scope) {
            entries.put(key, scope);
            if (entries.size() > capacity) {
                entries.remove(entries.keySet().iterator().next());
            }
        }
    }

    private final LeafScope[] scope;
    private final Map<String, CollectionStatistics> collections = new HashMap<>();

    /**
     * @param scope the query whose matches are the collection (the spaces searched)
     * @param scopeKey identifies {@code scope} in {@code cache} (equal keys: equal queries)
     */
    ScopedStatistics(IndexReader reader, Query scope, Object scopeKey, Cache cache) throws IOException {
        super(reader);
        setQueryCache(null); // the statistics differ per scope; a scorer cached for one scope must not serve another
        this.scope = new LeafScope[reader.leaves().size()];
        Weight weight = null;
        for (LeafReaderContext leaf : reader.leaves()) {
            var helper = leaf.reader().getReaderCacheHelper();
            Object key = helper == null ? null : java.util.List.of(helper.getKey(), scopeKey);
            LeafScope known = key == null ? null : cache.get(key);
            if (known == null) {
                if (weight == null) {
                    weight = createWeight(rewrite(scope), ScoreMode.COMPLETE_NO_SCORES, 1f);
                }
                known = new LeafScope(docs(leaf, weight));
                if (key != null) {
                    cache.put(key, known);
                }
            }
            this.scope[leaf.ord] = known;
        }
    }

    private static FixedBitSet docs(LeafReaderContext leaf, Weight weight) throws IOException {
        FixedBitSet docs = new FixedBitSet(leaf.reader().maxDoc());
        Scorer scorer = weight.scorer(leaf);
        if (scorer != null) {
            Bits live = leaf.reader().getLiveDocs();
            DocIdSetIterator it = scorer.iterator();
            for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                if (live == null || live.get(doc)) {
                    docs.set(doc);
                }
            }
        }
        return docs;
    }

    @Override
    public CollectionStatistics collectionStatistics(String field) throws IOException {
        CollectionStatistics known = collections.get(field);
        if (known != null) {
            return known;
        }
        long docs = 0;
        long length = 0;
        for (LeafReaderContext leaf : getIndexReader().leaves()) {
            LeafScope in = scope[leaf.ord];
            if (in.size == 0) {
                continue;
            }
            long[] sums = in.fields.get(field);
            if (sums == null) {
                sums = fieldSums(leaf, in.docs, field);
                in.fields.put(field, sums);
            }
            docs += sums[0];
            length += sums[1];
        }
        // a scope without the field still gets statistics: its documents match no term of it, so any will do,
        // and the whole index's would tell what other spaces hold
        CollectionStatistics stats = docs == 0
                ? new CollectionStatistics(field, 1, 1, 1, 1)
                : new CollectionStatistics(field, docs, docs, Math.max(length, docs), docs);
        collections.put(field, stats);
        return stats;
    }

    /** How many of {@code in} have {@code field}, and their summed lengths. */
    private static long[] fieldSums(LeafReaderContext leaf, FixedBitSet in, String field) throws IOException {
        NumericDocValues norms = leaf.reader().getNormValues(field);
        long docs = 0;
        long length = 0;
        if (norms != null) {
            for (int doc = in.nextSetBit(0); doc != DocIdSetIterator.NO_MORE_DOCS;
                 doc = doc + 1 < in.length() ? in.nextSetBit(doc + 1) : DocIdSetIterator.NO_MORE_DOCS) {
                if (norms.advanceExact(doc)) {
                    docs++;
                    length += SmallFloat.byte4ToInt((byte) norms.longValue());
                }
            }
        }
        return new long[] {docs, length};
    }

    @Override
    public TermStatistics termStatistics(Term term, int docFreq, long totalTermFreq) throws IOException {
        long df = 0;
        long ttf = 0;
        for (LeafReaderContext leaf : getIndexReader().leaves()) {
            LeafScope in = scope[leaf.ord];
            if (in.size == 0) {
                continue;
            }
            Terms terms = leaf.reader().terms(term.field());
            if (terms == null) {
                continue;
            }
            TermsEnum it = terms.iterator();
            if (!it.seekExact(term.bytes())) {
                continue;
            }
            PostingsEnum postings = it.postings(null, PostingsEnum.FREQS);
            for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
                if (in.docs.get(doc)) {
                    df++;
                    ttf += postings.freq();
                }
            }
        }
        // a term absent from the scope matches nothing there; as above, any statistics will do
        return df == 0 ? new TermStatistics(term.bytes(), 1, 1) : new TermStatistics(term.bytes(), df, ttf);
    }
}
