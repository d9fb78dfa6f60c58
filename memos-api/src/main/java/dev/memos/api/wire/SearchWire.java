package dev.memos.api.wire;

import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.Tier;
import dev.memos.kernel.search.SearchFilters;
import dev.memos.kernel.search.SearchHit;
import dev.memos.kernel.search.SearchMode;
import dev.memos.kernel.search.SearchRequest;
import dev.memos.kernel.search.TimeExpressions;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Search requests and answers on the wire. */
public final class SearchWire {
    private SearchWire() {
    }

    /**
     * @param consistency {@code eventual} (default) or {@code read-your-writes}: wait until every
     *                    write committed before the search is indexed
     * @param asOf        recorded time: search what memos held as current then (docs/api.md, "History")
     * @param waitMs      with read-your-writes: how long to wait for the index, 1 … 60,000 ms (default
     *                    {@code memos.search.wait-timeout})
     * @param time        what a time the query names does: off, boost or filter (default {@code memos.search.time})
     * @param timeReference the now that relative times in the query resolve against (default validAt, asOf, now)
     */
    public record Request(String query, Integer k, SearchMode mode, Filters filters, Boolean explain, String consistency,
                          Instant asOf, Integer waitMs, SearchRequest.TimeUse time, Instant timeReference) {
    }

    public record Filters(Set<String> kinds, Set<String> tags, Set<Tier> tiers, Set<LifecycleState> states,
                          Instant validAt, Instant recordedFrom, Instant recordedTo, Set<String> sensitivity,
                          Set<String> excludeSensitivity, String purpose, Instant eventFrom, Instant eventTo) {
        public SearchFilters toKernel() {
            return new SearchFilters(kinds, tags, tiers, states, validAt, recordedFrom, recordedTo, sensitivity,
                    excludeSensitivity, purpose, eventFrom, eventTo);
        }
    }

    /** The time the query named, as resolved ({@code from} inclusive, {@code to} exclusive, null: open), and its use. */
    public record NamedTime(String expression, Instant from, Instant to, SearchRequest.TimeUse use) {
        public static NamedTime of(TimeExpressions.Range range, SearchRequest.TimeUse use) {
            return new NamedTime(range.expression(), range.from(), range.to(), use);
        }
    }

    public record Hit(double score, CubeView cube, SearchHit.Explanation explanation) {
        public static Hit of(SearchHit hit, java.util.Set<dev.memos.kernel.model.CubeId> readable) {
            return new Hit(hit.score(), CubeView.of(hit.cube(), readable), hit.explanation());
        }
    }

    /** @param time the time the query named, when one was recognised and used; null otherwise */
    public record Response(List<Hit> hits, long tookMs, NamedTime time) {
    }
}
