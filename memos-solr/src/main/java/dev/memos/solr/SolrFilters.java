package dev.memos.solr;

import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.search.IndexQuery;
import dev.memos.kernel.search.SearchFilters;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.util.ClientUtils;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

import static dev.memos.solr.SolrDocuments.*;

/**
 * A search's filters as Solr filter queries over the fields {@link SolrDocuments} writes; the same rules as the
 * embedded index's. Filter queries restrict a {@code knn} query before the graph walk (Solr 9's pre-filtering).
 */
final class SolrFilters {
    private SolrFilters() {
    }

    /** The spaces searched: the tenancy fence, and the scope keyword statistics are taken over. */
    static String spaces(Collection<String> spaces) {
        return anyOf(SPACE, spaces);
    }

    /**
     * Sends a search only to the shards holding the spaces searched: the collection is routed by space (the
     * compositeId router hashes a {@code space} value with no {@code !} whole, and {@code _route_} names such keys,
     * comma-separated; space names hold neither character). Its few rows come back in one pass, not a second request
     * per shard for their fields. Unrouted, every shard would be asked for every space.
     */
    static SolrQuery routed(SolrQuery q, Collection<String> spaces) {
        if (!spaces.isEmpty() && spaces.stream().noneMatch(s -> s.contains("!") || s.contains(","))) {
            q.set("_route_", String.join(",", spaces));
        }
        q.set("distrib.singlePass", true);
        return q;
    }

    static List<String> of(IndexQuery query) {
        SearchFilters f = query.filters();
        List<String> fq = new ArrayList<>();
        fq.add(spaces(query.spaces()));
        fq.add(anyOf(STATE, f.states().stream().map(LifecycleState::name).toList()));
        if (!f.tiers().isEmpty()) {
            fq.add(anyOf(TIER, f.tiers().stream().map(Enum::name).toList()));
        }
        if (!f.kinds().isEmpty()) {
            fq.add(anyOf(KIND, f.kinds()));
        }
        f.tags().forEach(tag -> fq.add(term(TAG, tag)));
        f.sensitivity().forEach(s -> fq.add(term(SENSITIVITY, s)));
        f.excludeSensitivity().forEach(s -> fq.add("-" + term(SENSITIVITY, s)));
        if (f.purpose() != null) {
            fq.add("(" + term(PURPOSE, f.purpose()) + " OR (*:* -" + PURPOSE + ":[* TO *]))");
        }
        long at = query.validAt().toEpochMilli();
        fq.add(range(VALID_FROM, Long.MIN_VALUE, at));
        fq.add(range(VALID_TO, at + 1, Long.MAX_VALUE));
        if (f.eventFrom() != null || f.eventTo() != null) {
            // the event time is validFrom, or the recording time where validFrom is unset (indexed as Long.MIN_VALUE)
            long from = millis(f.eventFrom(), Long.MIN_VALUE + 1);
            long to = f.eventTo() == null ? Long.MAX_VALUE : f.eventTo().toEpochMilli() - 1;
            fq.add("(" + range(VALID_FROM, from, to) + " OR (" + range(VALID_FROM, Long.MIN_VALUE, Long.MIN_VALUE)
                    + " AND " + range(RECORDED_AT, from, to) + "))");
        }
        if (f.recordedFrom() != null || f.recordedTo() != null) {
            fq.add(range(RECORDED_AT, millis(f.recordedFrom(), Long.MIN_VALUE),
                    f.recordedTo() == null ? Long.MAX_VALUE : f.recordedTo().toEpochMilli() - 1));
        }
        return fq;
    }

    static String term(String field, String value) {
        return field + ":" + ClientUtils.escapeQueryChars(value);
    }

    static String anyOf(String field, Collection<String> values) {
        if (values.isEmpty()) {
            return "-*:*";
        }
        return field + ":(" + values.stream().map(ClientUtils::escapeQueryChars).collect(Collectors.joining(" OR ")) + ")";
    }

    private static String range(String field, long from, long to) {
        return field + ":[" + bound(from) + " TO " + bound(to) + "]";
    }

    private static String bound(long value) {
        return ClientUtils.escapeQueryChars(Long.toString(value));
    }
}
