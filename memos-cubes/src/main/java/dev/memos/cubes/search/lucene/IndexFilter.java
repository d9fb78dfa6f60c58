package dev.memos.cubes.search.lucene;

import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.search.IndexQuery;
import dev.memos.kernel.search.SearchFilters;
import org.apache.lucene.document.LongField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

import java.util.Collection;
import java.util.List;

import static dev.memos.cubes.search.lucene.IndexDocuments.*;

/** A search's filters as a Lucene query over the fields {@link LuceneSearchIndex} writes. */
final class IndexFilter {
    private IndexFilter() {
    }

    /** The spaces searched: the tenancy fence, and the collection keyword statistics are taken over. */
    static Query spaces(IndexQuery query) {
        return terms(SPACE, query.spaces());
    }

    static Query of(IndexQuery query) {
        SearchFilters f = query.filters();
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        b.add(spaces(query), Occur.FILTER);
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
        if (f.eventFrom() != null || f.eventTo() != null) {
            // the event time is validFrom, or the recording time where validFrom is unset (indexed as Long.MIN_VALUE)
            long from = millis(f.eventFrom(), Long.MIN_VALUE + 1);
            long to = f.eventTo() == null ? Long.MAX_VALUE : f.eventTo().toEpochMilli() - 1;
            Query unset = LongField.newExactQuery(VALID_FROM, Long.MIN_VALUE);
            b.add(new BooleanQuery.Builder()
                    .add(LongField.newRangeQuery(VALID_FROM, from, to), Occur.SHOULD)
                    .add(new BooleanQuery.Builder().add(unset, Occur.FILTER)
                            .add(LongField.newRangeQuery(RECORDED_AT, from, to), Occur.FILTER).build(), Occur.SHOULD)
                    .build(), Occur.FILTER);
        }
        if (f.recordedFrom() != null || f.recordedTo() != null) {
            b.add(LongField.newRangeQuery(RECORDED_AT, millis(f.recordedFrom(), Long.MIN_VALUE),
                    f.recordedTo() == null ? Long.MAX_VALUE : f.recordedTo().toEpochMilli() - 1), Occur.FILTER);
        }
        return b.build();
    }

    static Query terms(String field, Collection<String> values) {
        return new TermInSetQuery(field, values.stream().map(BytesRef::new).toList());
    }

}
