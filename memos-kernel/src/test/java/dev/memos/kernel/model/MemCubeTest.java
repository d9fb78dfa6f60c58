package dev.memos.kernel.model;

import dev.memos.kernel.error.InvalidException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemCubeTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static MemCube.Builder valid() {
        return MemCube.builder()
                .id(CubeId.next(Clock.fixed(NOW, ZoneOffset.UTC)))
                .space("agent-1")
                .payload(new TextPayload("hello", "fact", List.of("a")))
                .provenance(new Provenance(Source.API, null, "p1", null, Operation.WRITE, List.of()))
                .time(new Temporal(null, null, NOW, null))
                .governance(new Governance("p1", null, 0, Set.of(), null));
    }

    @Test
    void a_valid_cube_builds_with_defaults() {
        MemCube cube = valid().build();
        assertEquals(1, cube.version());
        assertEquals(Tier.PLAINTEXT, cube.tier());
        assertEquals(LifecycleState.GENERATED, cube.state());
        assertEquals(Usage.NONE, cube.usage());
        assertEquals(cube, cube.toBuilder().build());
    }

    @Test
    void text_is_required_non_blank_and_bounded() {
        assertEquals("text", assertThrows(InvalidException.class, () -> new TextPayload(null, "fact", null)).field());
        assertEquals("text", assertThrows(InvalidException.class, () -> new TextPayload("  ", "fact", null)).field());
        String huge = "x".repeat(Limits.MAX_TEXT + 1);
        InvalidException tooLong = assertThrows(InvalidException.class, () -> new TextPayload(huge, "fact", null));
        assertTrue(tooLong.getMessage().contains(String.valueOf(Limits.MAX_TEXT)));
    }

    @Test
    void kinds_tags_and_labels_must_be_labels() {
        assertEquals("fact", new TextPayload("t", null, null).kind());
        assertEquals("kind", assertThrows(InvalidException.class, () -> new TextPayload("t", "drop table;", null)).field());
        assertEquals("tags", assertThrows(InvalidException.class, () -> new TextPayload("t", "fact", List.of("<script>"))).field());
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= Limits.MAX_TAGS; i++) {
            many.add("t" + i);
        }
        assertEquals("tags", assertThrows(InvalidException.class, () -> new TextPayload("t", "fact", many)).field());
        List<String> withNull = new ArrayList<>(List.of("a"));
        withNull.add(null);
        assertEquals("tags", assertThrows(InvalidException.class, () -> new TextPayload("t", "fact", withNull)).field());
        java.util.Set<String> nullLabel = new java.util.HashSet<>();
        nullLabel.add(null);
        assertEquals("sensitivity",
                assertThrows(InvalidException.class, () -> new Governance("p", null, 0, nullLabel, null)).field());
        assertEquals(List.of("a", "b"), new TextPayload("t", "fact", List.of("a", "b", "a")).tags());
        assertEquals("sensitivity",
                assertThrows(InvalidException.class, () -> new Governance("p", null, 0, Set.of("x y"), null)).field());
        assertEquals("purpose",
                assertThrows(InvalidException.class, () -> new Governance("p", null, 0, Set.of(), "' OR 1=1 --")).field());
    }

    @Test
    void priority_is_bounded() {
        assertEquals("priority", assertThrows(InvalidException.class, () -> new Governance("p", null, 101, null, null)).field());
        assertEquals(-100, new Governance("p", null, -100, null, null).priority());
    }

    @Test
    void validity_must_end_after_it_starts() {
        Instant later = NOW.plusSeconds(60);
        assertEquals("validTo", assertThrows(InvalidException.class, () -> new Temporal(later, NOW, NOW, null)).field());
        assertThrows(InvalidException.class, () -> new Temporal(NOW, NOW, NOW, null));
        Temporal t = new Temporal(NOW, later, NOW, null);
        assertTrue(t.validAt(NOW));
        assertFalse(t.validAt(later));
        assertFalse(t.validAt(NOW.minusSeconds(1)));
    }

    @Test
    void a_purged_payload_goes_with_the_deleted_state_only() {
        assertThrows(IllegalArgumentException.class, () -> valid().payload(Payload.Purged.INSTANCE).build());
        assertThrows(IllegalArgumentException.class, () -> valid().state(LifecycleState.DELETED).build());
        valid().state(LifecycleState.DELETED).payload(Payload.Purged.INSTANCE).build();
    }

    @Test
    void tiers_carry_their_own_payload_kind() {
        BlobPayload blob = new BlobPayload("a".repeat(64), 10, "application/safetensors", "llama-3-8b");
        assertThrows(InvalidException.class, () -> valid().payload(blob).build());
        assertThrows(InvalidException.class, () -> valid().tier(Tier.PARAMETER).build());
        assertEquals(Tier.PARAMETER, valid().tier(Tier.PARAMETER).payload(blob).build().tier());
        assertThrows(InvalidException.class, () -> new BlobPayload("XYZ", 1, "m", "m"));
    }

    @Test
    void space_names_and_versions_are_checked() {
        assertThrows(InvalidException.class, () -> valid().space("Bad Space").build());
        assertThrows(InvalidException.class, () -> valid().space("../etc").build());
        assertThrows(IllegalArgumentException.class, () -> valid().version(0).build());
    }

    @Test
    void cube_ids_are_time_ordered_uuid_v7() {
        CubeId earlier = CubeId.next(Clock.fixed(NOW, ZoneOffset.UTC));
        CubeId later = CubeId.next(Clock.fixed(NOW.plusMillis(1), ZoneOffset.UTC));
        assertEquals(7, earlier.value().version());
        assertTrue(earlier.compareTo(later) < 0);
        assertEquals(earlier, CubeId.parse(earlier.toString()));
        assertEquals("id", assertThrows(InvalidException.class, () -> CubeId.parse("1; DROP TABLE cube")).field());
    }
}
