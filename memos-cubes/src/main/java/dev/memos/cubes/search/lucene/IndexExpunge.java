package dev.memos.cubes.search.lucene;

import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Erasure in the index: rewrites the segments that still hold deleted documents of erased cubes until no segment
 * has a posting of their terms (ids, or a space), or {@link #EXPUNGE_LIMIT_MS} passes. Returns how many terms are
 * still held, for the erasure report.
 */
final class IndexExpunge {
    private static final long EXPUNGE_LIMIT_MS = 30_000;

    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Runnable commit;

    IndexExpunge(IndexWriter writer, SearcherManager searchers, Runnable commit) {
        this.writer = writer;
        this.searchers = searchers;
        this.commit = commit;
    }

    long expunge(List<Term> terms) {
        try {
            long deadline = System.nanoTime() + EXPUNGE_LIMIT_MS * 1_000_000L;
            while (true) {
                writer.forceMergeDeletes(true);
                commit.run();
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

    /** How many of the terms have a posting, of a live or a deleted document, in some segment. */
    private long held(List<Term> terms) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                long held = 0;
                for (Term term : terms) {
                    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                        PostingsEnum postings = leaf.reader().postings(term);
                        if (postings != null && postings.nextDoc() != DocIdSetIterator.NO_MORE_DOCS) {
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
}
