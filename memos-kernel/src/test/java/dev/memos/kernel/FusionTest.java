package dev.memos.kernel;

import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.event.Decision;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.Governance;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.Operation;
import dev.memos.kernel.model.Provenance;
import dev.memos.kernel.model.Source;
import dev.memos.kernel.model.Temporal;
import dev.memos.kernel.model.TextPayload;
import dev.memos.kernel.model.Tier;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FusionTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);

    private MemCube cube(String space, String text, LifecycleState state, List<String> tags, Instant validFrom,
                         Instant expiresAt, int priority, Set<String> sensitivity) {
        return MemCube.builder().id(CubeId.next(clock)).space(space).tier(Tier.PLAINTEXT).state(state)
                .payload(new TextPayload(text, "fact", tags))
                .provenance(new Provenance(Source.API, "ref-" + text.length(), "alice", null, Operation.WRITE, List.of()))
                .time(new Temporal(validFrom, null, T0, null))
                .governance(new Governance("alice", expiresAt, priority, sensitivity, null))
                .build();
    }

    private MemCube plain(String text) {
        return cube("s", text, LifecycleState.GENERATED, List.of(), null, null, 0, Set.of());
    }

    @Test
    void a_cube_is_not_fused_with_itself() {
        MemCube a = plain("Bob lives in Paris");
        assertThrows(InvalidException.class, () -> Fusion.requireFusible(List.of(a.id(), a.id()), null));
        assertThrows(InvalidException.class, () -> Fusion.fuse(List.of(a, a), null, CubeId.next(clock), T0));
        assertThrows(InvalidException.class, () -> Fusion.requireFusible(List.of(a.id()), null));
    }

    @Test
    void the_kept_text_must_be_a_source() {
        MemCube a = plain("Bob lives in Paris");
        MemCube b = plain("Bob lives in Paris.");
        assertThrows(InvalidException.class, () -> Fusion.requireFusible(List.of(a.id(), b.id()), CubeId.next(clock)));
    }

    @Test
    void the_fused_header_unites_tags_and_labels_and_keeps_the_highest_priority_and_earliest_validity() {
        MemCube a = cube("s", "Bob lives in Paris", LifecycleState.GENERATED, List.of("home"),
                Instant.parse("2025-05-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"), 1, Set.of("pii"));
        MemCube b = cube("s", "Bob lives in Paris, France", LifecycleState.ACTIVATED, List.of("home", "bob"),
                Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2028-01-01T00:00:00Z"), 5, Set.of("location"));
        CubeId id = CubeId.next(clock);

        MemCube fused = Fusion.fuse(List.of(a, b), b.id(), id, T0.plusSeconds(60));

        assertEquals(id, fused.id());
        assertEquals("Bob lives in Paris, France", ((TextPayload) fused.payload()).text());
        assertEquals(List.of("home", "bob"), ((TextPayload) fused.payload()).tags());
        assertEquals(Set.of("pii", "location"), fused.governance().sensitivity());
        assertEquals(5, fused.governance().priority());
        assertEquals(Instant.parse("2024-01-01T00:00:00Z"), fused.time().validFrom());
        assertEquals(Instant.parse("2028-01-01T00:00:00Z"), fused.governance().expiresAt());
        assertEquals(T0.plusSeconds(60), fused.time().recordedAt());
        assertEquals(LifecycleState.ACTIVATED, fused.state(), "ACTIVATED when a source is");
        assertEquals(List.of(a.id(), b.id()), fused.provenance().derivedFrom());
        assertEquals(Operation.MERGE, fused.provenance().operation());
        assertEquals(Source.DERIVATION, fused.provenance().source());
        assertEquals(Decision.SCHEDULER, fused.provenance().actor());
    }

    @Test
    void the_first_sources_text_is_kept_by_default_and_one_source_that_never_expires_keeps_the_fusion() {
        MemCube a = cube("s", "Bob lives in Paris", LifecycleState.GENERATED, List.of(), null,
                Instant.parse("2027-01-01T00:00:00Z"), 0, Set.of());
        MemCube b = plain("Bob lives in Paris.");

        MemCube fused = Fusion.fuse(List.of(a, b), null, CubeId.next(clock), T0);

        assertEquals("Bob lives in Paris", ((TextPayload) fused.payload()).text());
        assertNull(fused.governance().expiresAt());
        assertEquals(LifecycleState.GENERATED, fused.state());
    }

    @Test
    void only_live_plaintext_cubes_of_one_space_can_join() {
        MemCube a = plain("Bob lives in Paris");
        assertTrue(Fusion.canJoin(a, "s"));
        assertFalse(Fusion.canJoin(a, "other"));
        assertFalse(Fusion.canJoin(cube("s", "x y z", LifecycleState.ARCHIVED, List.of(), null, null, 0, Set.of()), "s"));
        assertFalse(Fusion.canJoin(cube("s", "x y z", LifecycleState.FROZEN, List.of(), null, null, 0, Set.of()), "s"));
        MemCube other = cube("other", "Bob lives in Paris.", LifecycleState.GENERATED, List.of(), null, null, 0, Set.of());
        assertThrows(InvalidException.class, () -> Fusion.fuse(List.of(a, other), null, CubeId.next(clock), T0));
    }
}
