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
 * @param waitTimeout how long {@code waitForWrites} waits for the index, 1 ms … {@link #MAX_WAIT}; null: the
 *                    service's setting
 * @param time what a time the query names ({@link TimeExpressions}) does; null: the service's setting
 * @param timeReference the now that relative times in the query ("last week") are resolved against, in UTC; null:
 *                      {@code filters.validAt}, else {@code asOf}, else the present
 */
public record SearchRequest(String text, int k, SearchMode mode, SearchFilters filters, boolean explain,
                            boolean waitForWrites, java.time.Instant asOf, java.time.Duration waitTimeout,
                            TimeUse time, java.time.Instant timeReference) {
    /** What a time named in the query does to the search. */
    public enum TimeUse {
        /** Nothing: the query's words are searched as they are. */
        OFF,
        /** Cubes whose event time lies in it rank higher ({@code memos.search.ranking.time-weight}). */
        BOOST,
        /** Only cubes whose event time lies in it are found (with the eventFrom/eventTo filters, if any). */
        FILTER
    }

    public static final int MAX_K = 100;
    public static final int MAX_QUERY = 2_048;
    /** The longest a caller may ask a read-your-writes search to wait: a request thread is held meanwhile. */
    public static final java.time.Duration MAX_WAIT = java.time.Duration.ofSeconds(60);

    public SearchRequest {
        Check.text("query", text, MAX_QUERY);
        Check.range("k", k, 1, MAX_K);
        mode = Objects.requireNonNullElse(mode, SearchMode.HYBRID);
        filters = Objects.requireNonNullElse(filters, SearchFilters.NONE);
        if (waitTimeout != null) {
            Check.range("waitMs", (int) Math.clamp(waitTimeout.toMillis(), Integer.MIN_VALUE, Integer.MAX_VALUE), 1,
                    (int) MAX_WAIT.toMillis());
        }
    }

    public SearchRequest(String text, int k, SearchMode mode, SearchFilters filters, boolean explain,
                         boolean waitForWrites, java.time.Instant asOf, java.time.Duration waitTimeout) {
        this(text, k, mode, filters, explain, waitForWrites, asOf, waitTimeout, null, null);
    }

    /** This request with other filters. */
    public SearchRequest withFilters(SearchFilters other) {
        return new SearchRequest(text, k, mode, other, explain, waitForWrites, asOf, waitTimeout, time, timeReference);
    }

    /** A search of the live versions. */
    public SearchRequest(String text, int k, SearchMode mode, SearchFilters filters, boolean explain,
                         boolean waitForWrites) {
        this(text, k, mode, filters, explain, waitForWrites, null, null);
    }
}
