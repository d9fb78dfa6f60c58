package dev.memos.kernel.search;

import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.model.Check;
import dev.memos.kernel.model.CubeHead;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.TextPayload;
import dev.memos.kernel.model.Tier;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a search may return. Null or empty sets match everything, except {@code states}, which
 * defaults to the live, unarchived states; DELETED and MERGED cubes are never searchable.
 *
 * @param validAt only facts holding at this instant; null means now
 * @param recordedFrom only versions recorded at or after this instant
 * @param recordedTo only versions recorded before this instant
 * @param sensitivity only cubes carrying all of these labels
 * @param excludeSensitivity never cubes carrying any of these labels
 * @param purpose only cubes usable for this purpose (their purpose is this one, or none)
 * @param eventFrom only cubes about a time at or after this instant ({@link CubeHead#eventAt}: validFrom, else
 *                  the recording time)
 * @param eventTo only cubes about a time before this instant
 */
public record SearchFilters(Set<String> kinds, Set<String> tags, Set<Tier> tiers, Set<LifecycleState> states,
                            Instant validAt, Instant recordedFrom, Instant recordedTo, Set<String> sensitivity,
                            Set<String> excludeSensitivity, String purpose, Instant eventFrom, Instant eventTo) {
    public static final Set<LifecycleState> DEFAULT_STATES =
            EnumSet.of(LifecycleState.GENERATED, LifecycleState.ACTIVATED, LifecycleState.FROZEN);
    public static final SearchFilters NONE = new SearchFilters(null, null, null, null, null, null, null, null, null, null);

    /** Filters without an event-time range. */
    public SearchFilters(Set<String> kinds, Set<String> tags, Set<Tier> tiers, Set<LifecycleState> states,
                         Instant validAt, Instant recordedFrom, Instant recordedTo, Set<String> sensitivity,
                         Set<String> excludeSensitivity, String purpose) {
        this(kinds, tags, tiers, states, validAt, recordedFrom, recordedTo, sensitivity, excludeSensitivity, purpose,
                null, null);
    }

    public SearchFilters {
        kinds = copy("kinds", kinds);
        tags = copy("tags", tags);
        tiers = tiers == null || tiers.isEmpty() ? Set.of() : Set.copyOf(tiers);
        states = states == null || states.isEmpty() ? DEFAULT_STATES : Set.copyOf(states);
        if (states.contains(LifecycleState.DELETED) || states.contains(LifecycleState.MERGED)) {
            throw new InvalidException("states", "DELETED and MERGED cubes are not searchable");
        }
        if (recordedFrom != null && recordedTo != null && !recordedTo.isAfter(recordedFrom)) {
            throw new InvalidException("recordedTo", "must be after recordedFrom");
        }
        if (eventFrom != null && eventTo != null && !eventTo.isAfter(eventFrom)) {
            throw new InvalidException("eventTo", "must be after eventFrom");
        }
        sensitivity = copy("sensitivity", sensitivity);
        excludeSensitivity = copy("excludeSensitivity", excludeSensitivity);
        Check.optionalLabel("purpose", purpose);
    }

    /**
     * Whether a cube, as the store holds it now, passes these filters at {@code at} (the valid-at
     * instant). Tags: the cube carries all of them; kinds: its kind is one of them.
     */
    public boolean matches(MemCube cube, Instant at) {
        return matches(CubeHead.of(cube), at) && matchesLabels(cube);
    }

    /**
     * Whether a cube's head passes the filters on its lifecycle, kind, recording time and validity. With
     * {@link #matchesLabels} this is {@link #matches}; a search whose index entry holds the live version has had
     * the labels checked by the index already.
     */
    public boolean matches(CubeHead head, Instant at) {
        if (!states.contains(head.state()) || (!tiers.isEmpty() && !tiers.contains(head.tier()))) {
            return false;
        }
        if (!kinds.isEmpty() && (head.kind() == null || !kinds.contains(head.kind()))) { // no kind: not a text cube
            return false;
        }
        Instant recorded = head.recordedAt();
        if ((recordedFrom != null && recorded.isBefore(recordedFrom)) || (recordedTo != null && !recorded.isBefore(recordedTo))) {
            return false;
        }
        Instant event = head.eventAt();
        if ((eventFrom != null && event.isBefore(eventFrom)) || (eventTo != null && !event.isBefore(eventTo))) {
            return false;
        }
        return head.validAt(at);
    }

    /**
     * These filters narrowed to event times in {@code range} as well (the later start, the earlier end); empty when
     * the two ranges do not meet, and nothing can match.
     */
    public java.util.Optional<SearchFilters> withEventTime(TimeExpressions.Range range) {
        Instant from = later(eventFrom, range.from());
        Instant to = eventTo == null ? range.to() : range.to() == null || eventTo.isBefore(range.to()) ? eventTo : range.to();
        if (from != null && to != null && !to.isAfter(from)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new SearchFilters(kinds, tags, tiers, states, validAt, recordedFrom, recordedTo,
                sensitivity, excludeSensitivity, purpose, from, to));
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    /** Whether the live version's payload, tags, sensitivity labels and purpose pass these filters. */
    public boolean matchesLabels(MemCube cube) {
        if (!(kinds.isEmpty() && tags.isEmpty())) {
            if (!(cube.payload() instanceof TextPayload text) || !text.tags().containsAll(tags)) {
                return false;
            }
        }
        Set<String> labels = cube.governance().sensitivity();
        if (!labels.containsAll(sensitivity) || excludeSensitivity.stream().anyMatch(labels::contains)) {
            return false;
        }
        String cubePurpose = cube.governance().purpose();
        return purpose == null || cubePurpose == null || cubePurpose.equals(purpose);
    }

    private static Set<String> copy(String field, Set<String> labels) {
        if (labels == null || labels.isEmpty()) {
            return Set.of();
        }
        Check.maxSize(field, labels, 64);
        Check.labels(field, labels);
        return Set.copyOf(labels);
    }
}
