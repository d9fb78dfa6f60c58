package dev.memos.kernel.search;

import dev.memos.kernel.model.Check;

import java.util.Objects;

/**
 * A retrieval request.
 *
 * @param k how many hits to return, 1 … {@link #MAX_K}
 * @param explain whether hits carry their component scores
 * @param waitForWrites whether to wait until every change committed before the request is searchable
 * @param asOf recorded time: search what memos held as current then (each cube's version current at that time;
 *             validAt defaults to it); null: the live versions
 */
public record SearchRequest(String text, int k, SearchMode mode, SearchFilters filters, boolean explain,
                            boolean waitForWrites, java.time.Instant asOf) {
    public static final int MAX_K = 100;
    public static final int MAX_QUERY = 2_048;

    public SearchRequest {
        Check.text("query", text, MAX_QUERY);
        Check.range("k", k, 1, MAX_K);
        mode = Objects.requireNonNullElse(mode, SearchMode.HYBRID);
        filters = Objects.requireNonNullElse(filters, SearchFilters.NONE);
    }

    /** A search of the live versions. */
    public SearchRequest(String text, int k, SearchMode mode, SearchFilters filters, boolean explain,
                         boolean waitForWrites) {
        this(text, k, mode, filters, explain, waitForWrites, null);
    }
}
