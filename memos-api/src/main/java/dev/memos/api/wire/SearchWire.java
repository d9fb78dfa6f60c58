package dev.memos.api.wire;

import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.Tier;
import dev.memos.kernel.search.SearchFilters;
import dev.memos.kernel.search.SearchHit;
import dev.memos.kernel.search.SearchMode;

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
     */
    public record Request(String query, Integer k, SearchMode mode, Filters filters, Boolean explain, String consistency,
                          Instant asOf) {
    }

    public record Filters(Set<String> kinds, Set<String> tags, Set<Tier> tiers, Set<LifecycleState> states,
                          Instant validAt, Instant recordedFrom, Instant recordedTo, Set<String> sensitivity,
                          Set<String> excludeSensitivity, String purpose) {
        public SearchFilters toKernel() {
            return new SearchFilters(kinds, tags, tiers, states, validAt, recordedFrom, recordedTo, sensitivity,
                    excludeSensitivity, purpose);
        }
    }

    public record Hit(double score, CubeView cube, SearchHit.Explanation explanation) {
        public static Hit of(SearchHit hit, java.util.Set<dev.memos.kernel.model.CubeId> readable) {
            return new Hit(hit.score(), CubeView.of(hit.cube(), readable), hit.explanation());
        }
    }

    public record Response(List<Hit> hits, long tookMs) {
    }
}
