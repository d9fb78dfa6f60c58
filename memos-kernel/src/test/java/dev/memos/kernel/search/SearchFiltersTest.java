package dev.memos.kernel.search;

import dev.memos.kernel.model.BlobPayload;
import dev.memos.kernel.model.CubeHead;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.Governance;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.Operation;
import dev.memos.kernel.model.Payload;
import dev.memos.kernel.model.Provenance;
import dev.memos.kernel.model.Source;
import dev.memos.kernel.model.Temporal;
import dev.memos.kernel.model.TextPayload;
import dev.memos.kernel.model.Tier;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SearchFiltersTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    private static MemCube cube(Payload payload, Set<String> sensitivity) {
        return MemCube.builder().id(CubeId.next(Clock.systemUTC())).space("s")
                .tier(payload instanceof BlobPayload ? Tier.PARAMETER : Tier.PLAINTEXT).payload(payload)
                .provenance(new Provenance(Source.API, null, "p", null, Operation.WRITE, List.of()))
                .time(new Temporal(null, null, NOW.minusSeconds(60), null))
                .governance(new Governance("p", null, 0, sensitivity, null)).build();
    }

    private static SearchFilters filters(Set<String> kinds, Set<String> tags, Set<Tier> tiers, Set<String> sensitivity) {
        return new SearchFilters(kinds, tags, tiers, null, null, null, null, sensitivity, null, null);
    }

    @Test
    void a_blob_has_no_kind_and_no_tags_so_kind_and_tag_filters_exclude_it() {
        MemCube blob = cube(new BlobPayload("a".repeat(64), 10, "application/octet-stream", "m"), Set.of());
        assertFalse(filters(Set.of("fact"), null, null, null).matches(CubeHead.of(blob), NOW));
        assertFalse(filters(Set.of("fact"), null, null, null).matches(blob, NOW));
        assertTrue(filters(null, Set.of("music"), null, null).matches(CubeHead.of(blob), NOW), "tags are labels");
        assertFalse(filters(null, Set.of("music"), null, null).matches(blob, NOW));
        assertTrue(SearchFilters.NONE.matches(blob, NOW));
    }

    @Test
    void heads_answer_for_lifecycle_kind_and_time_labels_for_tags_and_sensitivity() {
        MemCube text = cube(new TextPayload("t", "fact", List.of("music")), Set.of("personal"));
        SearchFilters wrongTier = filters(null, null, Set.of(Tier.PARAMETER), null);
        assertFalse(wrongTier.matches(CubeHead.of(text), NOW));
        SearchFilters labelled = filters(Set.of("fact"), Set.of("music"), null, Set.of("personal"));
        assertTrue(labelled.matches(CubeHead.of(text), NOW));
        assertTrue(labelled.matchesLabels(text));
        SearchFilters otherLabel = filters(null, null, null, Set.of("health"));
        assertTrue(otherLabel.matches(CubeHead.of(text), NOW), "the head does not know the labels");
        assertFalse(otherLabel.matchesLabels(text));
        assertFalse(otherLabel.matches(text, NOW));
    }

    @Test
    void event_time_is_valid_from_or_else_the_recording_time_and_a_named_time_narrows_the_range() {
        MemCube undated = cube(new TextPayload("t", "fact", List.of()), Set.of()); // recorded a minute before NOW
        SearchFilters june = new SearchFilters(null, null, null, null, null, null, null, null, null, null,
                Instant.parse("2026-05-31T00:00:00Z"), Instant.parse("2026-06-30T00:00:00Z"));
        assertTrue(june.matches(CubeHead.of(undated), NOW));
        TimeExpressions.Range may = new TimeExpressions.Range(Instant.parse("2026-05-01T00:00:00Z"),
                Instant.parse("2026-06-01T00:00:00Z"), "May 2026");
        SearchFilters both = june.withEventTime(may).orElseThrow();
        org.junit.jupiter.api.Assertions.assertEquals(Instant.parse("2026-05-31T00:00:00Z"), both.eventFrom());
        org.junit.jupiter.api.Assertions.assertEquals(Instant.parse("2026-06-01T00:00:00Z"), both.eventTo());
        TimeExpressions.Range april = new TimeExpressions.Range(null, Instant.parse("2026-05-01T00:00:00Z"), "before May");
        assertTrue(june.withEventTime(april).isEmpty(), "ranges that do not meet match nothing");
        org.junit.jupiter.api.Assertions.assertThrows(dev.memos.kernel.error.InvalidException.class,
                () -> new SearchFilters(null, null, null, null, null, null, null, null, null, null, NOW, NOW));
    }
}
