package dev.memos.client.model;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Search requests and results. */
public final class Search {
    private Search() {
    }

    /**
     * @param mode        hybrid (default), keyword or vector
     * @param consistency eventual (default) or read-your-writes (waits for the index, up to waitMs)
     * @param asOf        what memos believed at this recorded time
     * @param time        what a time named in the query does: off, boost or filter
     */
    public record Request(String query, Integer k, String mode, Filters filters, Boolean explain, String consistency,
                          Instant asOf, Integer waitMs, String time, Instant timeReference) {
        public static Request of(String query) {
            return new Request(query, null, null, null, null, null, null, null, null, null);
        }

        public Request k(int k) {
            return new Request(query, k, mode, filters, explain, consistency, asOf, waitMs, time, timeReference);
        }

        public Request mode(String mode) {
            return new Request(query, k, mode, filters, explain, consistency, asOf, waitMs, time, timeReference);
        }

        public Request filters(Filters filters) {
            return new Request(query, k, mode, filters, explain, consistency, asOf, waitMs, time, timeReference);
        }

        public Request explain(boolean explain) {
            return new Request(query, k, mode, filters, explain, consistency, asOf, waitMs, time, timeReference);
        }

        /** Wait until the index holds every write made before the search (read-your-writes). */
        public Request readYourWrites() {
            return new Request(query, k, mode, filters, explain, "read-your-writes", asOf, waitMs, time, timeReference);
        }

        public Request asOf(Instant asOf) {
            return new Request(query, k, mode, filters, explain, consistency, asOf, waitMs, time, timeReference);
        }

        public Request time(String time, Instant timeReference) {
            return new Request(query, k, mode, filters, explain, consistency, asOf, waitMs, time, timeReference);
        }
    }

    public record Filters(Set<String> kinds, Set<String> tags, Set<String> tiers, Set<String> states, Instant validAt,
                          Instant recordedFrom, Instant recordedTo, Set<String> sensitivity,
                          Set<String> excludeSensitivity, String purpose, Instant eventFrom, Instant eventTo) {
        public static Filters none() {
            return new Filters(null, null, null, null, null, null, null, null, null, null, null, null);
        }

        public Filters kinds(Set<String> kinds) {
            return new Filters(kinds, tags, tiers, states, validAt, recordedFrom, recordedTo, sensitivity,
                    excludeSensitivity, purpose, eventFrom, eventTo);
        }

        public Filters tags(Set<String> tags) {
            return new Filters(kinds, tags, tiers, states, validAt, recordedFrom, recordedTo, sensitivity,
                    excludeSensitivity, purpose, eventFrom, eventTo);
        }

        public Filters validAt(Instant validAt) {
            return new Filters(kinds, tags, tiers, states, validAt, recordedFrom, recordedTo, sensitivity,
                    excludeSensitivity, purpose, eventFrom, eventTo);
        }

        public Filters purpose(String purpose) {
            return new Filters(kinds, tags, tiers, states, validAt, recordedFrom, recordedTo, sensitivity,
                    excludeSensitivity, purpose, eventFrom, eventTo);
        }

        public Filters excludeSensitivity(Set<String> labels) {
            return new Filters(kinds, tags, tiers, states, validAt, recordedFrom, recordedTo, sensitivity, labels,
                    purpose, eventFrom, eventTo);
        }

        public Filters event(Instant from, Instant to) {
            return new Filters(kinds, tags, tiers, states, validAt, recordedFrom, recordedTo, sensitivity,
                    excludeSensitivity, purpose, from, to);
        }
    }

    /** @param time the time the query named, as understood, or null */
    public record Result(List<Hit> hits, long tookMs, NamedTime time) {
    }

    /** @param explanation the score's parts, when asked for */
    public record Hit(double score, Cube cube, Explanation explanation) {
    }

    public record Explanation(Integer keywordRank, Float keywordScore, Integer vectorRank, Float vectorScore,
                              Integer contextKeywordRank, Integer contextVectorRank, double fused, double recencyBoost,
                              double heatBoost, double priorityBoost, double subjectBoost, double timeBoost) {
    }

    public record NamedTime(String expression, Instant from, Instant to, String use) {
    }

    /**
     * How far the index of a space is behind its writes; {@code pendingWindows}: context windows still searched with
     * a stand-in vector on the node that answered, until it embeds their text when idle.
     */
    public record Lag(String space, long pendingEvents, Instant oldestPendingAt, long lagMs, long pendingWindows) {
    }
}
