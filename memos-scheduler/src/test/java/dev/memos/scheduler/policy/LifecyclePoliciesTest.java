package dev.memos.scheduler.policy;

import dev.memos.kernel.NewCube;
import dev.memos.kernel.event.Decision;
import dev.memos.kernel.event.EventType;
import dev.memos.kernel.event.KernelEvent;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.Payload;
import dev.memos.scheduler.Fixture;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The TTL and demotion policies on an advanced clock: nobody sleeps. */
class LifecyclePoliciesTest {
    private final Fixture f = new Fixture();

    private LifecyclePolicies policies(boolean ttl, boolean demotion) {
        return policies(ttl, demotion, false);
    }

    private LifecyclePolicies policies(boolean ttl, boolean demotion, boolean consolidation) {
        return new LifecyclePolicies(f.kernel.decisions(), f.backend, f.backend, f.backend, f.clock,
                new LifecyclePolicies.Settings(ttl, demotion, Duration.ofDays(30), consolidation, Duration.ofMinutes(1), 2));
    }

    private MemCube write(String text, Instant expiresAt) {
        return f.kernel.write(f.owner.principal(), f.space, new NewCube(text, "fact", null, null, null, null, null, null,
                expiresAt, null, null, null, null)).cube();
    }

    private MemCube activated(String text) {
        MemCube cube = write(text, null);
        return f.kernel.transition(f.owner.principal(), cube.id(), LifecycleState.ACTIVATED, "in use");
    }

    private MemCube now(MemCube cube) {
        return f.backend.findForSystem(cube.id()).orElseThrow();
    }

    private KernelEvent last(MemCube cube) {
        return f.backend.eventsFor(cube.id()).getLast();
    }

    @Test
    void ttl_deletes_expired_cubes_with_their_payload_and_says_why() {
        Instant start = f.clock.instant();
        MemCube soon = write("the door code is 4711 until Friday", start.plus(Duration.ofDays(3)));
        MemCube later = write("the wifi password rotates monthly", start.plus(Duration.ofDays(40)));
        MemCube forever = write("Ann was born in 1990", null);
        MemCube frozen = write("pinned by its owner", start.plus(Duration.ofDays(1)));
        f.kernel.transition(f.owner.principal(), frozen.id(), LifecycleState.FROZEN, "pinned");
        LifecyclePolicies p = policies(true, false);

        assertEquals(0, p.runOnce().expired(), "nothing is due yet");
        f.clock.advance(Duration.ofDays(5));
        assertEquals(1, p.runOnce().expired());

        assertEquals(LifecycleState.DELETED, now(soon).state());
        assertEquals(Payload.Purged.INSTANCE, now(soon).payload());
        assertEquals(LifecycleState.GENERATED, now(later).state());
        assertEquals(LifecycleState.GENERATED, now(forever).state());
        assertEquals(LifecycleState.FROZEN, now(frozen).state(), "a frozen (pinned) cube never expires");
        KernelEvent event = last(soon);
        assertEquals(EventType.CUBE_DELETED, event.type());
        assertEquals(Decision.SCHEDULER, event.actor());
        assertEquals("ttl", event.data().get("policy"));
        assertEquals(start.plus(Duration.ofDays(3)).toString(), event.data().get("input.expiresAt"));
        assertTrue(event.data().get("reason").startsWith("expired at "));

        assertEquals(0, p.runOnce().expired(), "a second run changes nothing");
        f.clock.advance(Duration.ofDays(40));
        assertEquals(1, p.runOnce().expired());
        assertEquals(LifecycleState.DELETED, now(later).state());
    }

    @Test
    void ttl_works_through_more_cubes_than_one_batch() {
        Instant expiry = f.clock.instant().plus(Duration.ofHours(1));
        for (int i = 0; i < 7; i++) {
            write("short-lived note " + i, expiry);
        }
        f.clock.advance(Duration.ofHours(2));
        assertEquals(7, policies(true, false).runOnce().expired());
        assertEquals(0, f.backend.countLive(f.space));
    }

    @Test
    void demotion_archives_activated_cubes_that_went_cold_and_keeps_warm_ones() {
        MemCube cold = activated("the old office was on Elm Street");
        MemCube warm = activated("the team meets on Tuesdays");
        MemCube generated = write("never activated", null);
        f.clock.advance(Duration.ofDays(20));
        f.backend.recordUsage(Map.of(warm.id(), 1L), f.clock.instant(), new dev.memos.kernel.search.Heat(Duration.ofDays(7), false));
        LifecyclePolicies p = policies(false, true);

        assertEquals(0, p.runOnce().demoted(), "20 days is not cold yet");
        f.clock.advance(Duration.ofDays(15));
        assertEquals(1, p.runOnce().demoted());
        assertEquals(LifecycleState.ARCHIVED, now(cold).state());
        assertEquals(LifecycleState.ACTIVATED, now(warm).state(), "accessed 15 days ago");
        assertEquals(LifecycleState.GENERATED, now(generated).state(), "only ACTIVATED cubes are demoted");
        KernelEvent event = last(cold);
        assertEquals(EventType.CUBE_TRANSITIONED, event.type());
        assertEquals("demotion", event.data().get("policy"));
        assertEquals("never", event.data().get("input.lastAccessedAt"));
        assertEquals("PT720H", event.data().get("input.coldAfter"));
        assertEquals("ARCHIVED", event.data().get("to"));

        f.clock.advance(Duration.ofDays(20));
        assertEquals(1, p.runOnce().demoted());
        assertEquals(LifecycleState.ARCHIVED, now(warm).state());
    }

    @Test
    void switched_off_policies_do_nothing() {
        write("expiring", f.clock.instant().plus(Duration.ofMinutes(1)));
        activated("cold");
        f.clock.advance(Duration.ofDays(365));
        write("said twice", null);
        write("said twice", null);
        assertEquals(new LifecyclePolicies.Run(0, 0, 0, 0), policies(false, false, false).runOnce());
        assertEquals(new LifecyclePolicies.Run(1, 1, 1, 0), policies(true, true, true).runOnce());
    }

    @Test
    void a_cube_a_user_moved_meanwhile_is_left_alone() {
        MemCube cube = activated("moved by hand");
        f.clock.advance(Duration.ofDays(60));
        f.kernel.transition(f.owner.principal(), cube.id(), LifecycleState.FROZEN, "keep");
        assertEquals(0, policies(false, true).runOnce().demoted());
        assertTrue(f.kernel.decisions().decide(cube.id(), LifecycleState.ACTIVATED, LifecycleState.ARCHIVED,
                new Decision("demotion", "stale list", Map.of())).isEmpty());
        assertEquals(LifecycleState.FROZEN, now(cube).state());
    }

    @Test
    void a_cube_is_not_consolidated_with_itself() {
        MemCube a = write("Ann likes green tea", null);
        int before = f.cubes().size();

        dev.memos.kernel.error.InvalidException refused = org.junit.jupiter.api.Assertions.assertThrows(
                dev.memos.kernel.error.InvalidException.class, () -> f.kernel.decisions().consolidate(java.util.List.of(a.id(), a.id()),
                        new Decision("consolidation", "identical text", java.util.Map.of())));

        assertTrue(refused.getMessage().contains("two different cubes"), refused.getMessage());
        assertEquals(LifecycleState.GENERATED, now(a).state());
        assertEquals(before, f.cubes().size(), "no fused cube");
    }

    @Test
    void consolidation_fuses_identical_cubes_of_a_space_and_the_sources_become_merged() {
        MemCube a = f.kernel.write(f.owner.principal(), f.space, new NewCube("Ann likes green tea", "preference",
                java.util.List.of("drinks"), null, "chat-1", null, Instant.parse("2025-01-01T00:00:00Z"), null, null, 1,
                java.util.Set.of("health"), null, null)).cube();
        f.clock.advance(Duration.ofSeconds(1));
        MemCube b = f.kernel.write(f.owner.principal(), f.space, new NewCube("Ann likes green tea", "preference",
                java.util.List.of("tea"), null, "chat-2", null, Instant.parse("2024-06-01T00:00:00Z"), null, null, 5,
                null, null, null)).cube();
        f.clock.advance(Duration.ofSeconds(1));
        MemCube c = f.kernel.transition(f.owner.principal(), write("Ann likes green tea", null).id(),
                LifecycleState.ACTIVATED, null);
        MemCube different = write("Ann likes black coffee", null);
        MemCube archived = write("archived twin", null);
        MemCube archivedTwin = write("archived twin", null);
        f.kernel.transition(f.owner.principal(), archived.id(), LifecycleState.ACTIVATED, null);
        f.kernel.transition(f.owner.principal(), archived.id(), LifecycleState.ARCHIVED, null);

        assertEquals(1, policies(false, false, true).runOnce().consolidated());

        for (MemCube source : java.util.List.of(a, b, c)) {
            assertEquals(LifecycleState.MERGED, now(source).state());
            assertEquals("Ann likes green tea", ((dev.memos.kernel.model.TextPayload) now(source).payload()).text(),
                    "a merged source stays readable");
        }
        assertEquals(LifecycleState.GENERATED, now(different).state());
        assertEquals(LifecycleState.GENERATED, now(archivedTwin).state(), "an ARCHIVED twin cannot merge");
        MemCube fused = f.cubes().stream().filter(x -> x.provenance().operation() == dev.memos.kernel.model.Operation.MERGE)
                .findFirst().orElseThrow();
        assertEquals(java.util.List.of(a.id(), b.id(), c.id()), fused.provenance().derivedFrom());
        assertEquals(LifecycleState.ACTIVATED, fused.state(), "one source was in use");
        assertEquals(java.util.List.of("drinks", "tea"), ((dev.memos.kernel.model.TextPayload) fused.payload()).tags());
        assertEquals(5, fused.governance().priority());
        assertEquals(java.util.Set.of("health"), fused.governance().sensitivity());
        assertEquals(Instant.parse("2024-06-01T00:00:00Z"), fused.time().validFrom());
        KernelEvent merged = last(a);
        assertEquals("consolidation", merged.data().get("policy"));
        assertEquals(fused.id().toString(), merged.data().get("mergedInto"));
        assertEquals("GENERATED", merged.data().get("from"));
        assertEquals(0, policies(false, false, true).runOnce().consolidated(), "nothing left to fuse");
    }
}
