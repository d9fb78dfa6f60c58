package dev.memos.kernel;

import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.error.NotFoundException;
import dev.memos.kernel.error.StaleVersionException;
import dev.memos.kernel.event.Decision;
import dev.memos.kernel.event.EventType;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.Payload;
import dev.memos.kernel.model.TextPayload;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel's operations on the in-memory back end: principal operations, the scheduler's decisions, imports. */
class MemoryKernelTest extends KernelFixture {

    private MemCube write(String text) {
        return kernel.write(alice, "mem", NewCube.text(text, "fact")).cube();
    }

    @Test
    void an_update_is_a_new_version_and_a_stale_one_is_refused() {
        MemCube v1 = write("Bob lives in Paris");
        clock.advance(Duration.ofMinutes(1));
        MemCube v2 = kernel.update(alice, v1.id(), 1, CubePatch.text("Bob lives in Berlin"));

        assertEquals(2, v2.version());
        assertEquals("Bob lives in Paris", ((TextPayload) kernel.readVersion(alice, v1.id(), 1).payload()).text());
        assertThrows(StaleVersionException.class, () -> kernel.update(alice, v1.id(), 1, CubePatch.text("again")));
        assertEquals(List.of(EventType.CUBE_CREATED, EventType.CUBE_VERSIONED),
                backend.eventsFor(v1.id()).stream().map(e -> e.type()).toList());
    }

    @Test
    void a_rollback_writes_the_old_payload_as_the_next_version() {
        MemCube v1 = write("Bob lives in Paris");
        kernel.update(alice, v1.id(), 1, CubePatch.text("Bob lives in Berlin"));

        MemCube v3 = kernel.rollback(alice, v1.id(), 1, 2);

        assertEquals(3, v3.version());
        assertEquals("Bob lives in Paris", ((TextPayload) v3.payload()).text());
    }

    @Test
    void a_principal_without_a_grant_finds_nothing_and_changes_nothing() {
        MemCube cube = write("Bob lives in Paris");
        assertThrows(NotFoundException.class, () -> kernel.read(bob, cube.id()));
        assertThrows(NotFoundException.class, () -> kernel.update(bob, cube.id(), 1, CubePatch.text("mine now")));
        assertEquals(1, kernel.read(alice, cube.id()).version());
    }

    @Test
    void a_delete_leaves_a_tombstone_without_content() {
        MemCube cube = write("Bob's card is 4111 1111 1111 1111");
        MemCube tombstone = kernel.delete(alice, cube.id(), "asked to");
        assertEquals(LifecycleState.DELETED, tombstone.state());
        assertEquals(Payload.Purged.INSTANCE, tombstone.payload());
        kernel.history(alice, cube.id()).forEach(v -> assertEquals(Payload.Purged.INSTANCE, v.payload()));
    }

    @Test
    void a_decision_on_a_stale_view_changes_nothing() {
        MemCube cube = write("Bob lives in Paris");
        Decision demote = new Decision("demotion", "cold", Map.of());

        assertTrue(kernel.decisions().decide(cube.id(), LifecycleState.ACTIVATED, LifecycleState.ARCHIVED, demote).isEmpty());
        assertEquals(LifecycleState.GENERATED, kernel.read(alice, cube.id()).state());

        kernel.transition(alice, cube.id(), LifecycleState.ACTIVATED, null);
        MemCube archived = kernel.decisions().decide(cube.id(), LifecycleState.ACTIVATED, LifecycleState.ARCHIVED, demote)
                .orElseThrow();
        assertEquals(LifecycleState.ARCHIVED, archived.state());
        assertEquals(Decision.SCHEDULER, backend.eventsFor(cube.id()).getLast().actor());
    }

    @Test
    void a_consolidation_merges_the_sources_into_a_new_cube_and_refuses_one_cube_twice() {
        MemCube a = write("Bob lives in Paris");
        MemCube b = write("Bob lives in Paris");
        Decision decision = new Decision("consolidation", "identical text", Map.of());

        assertThrows(InvalidException.class, () -> kernel.decisions().consolidate(List.of(a.id(), a.id()), decision));
        MemCube fused = kernel.decisions().consolidate(List.of(a.id(), b.id()), decision).orElseThrow();

        assertEquals(List.of(a.id(), b.id()), fused.provenance().derivedFrom());
        assertEquals(LifecycleState.MERGED, kernel.read(alice, a.id()).state());
        assertEquals(LifecycleState.MERGED, kernel.read(alice, b.id()).state());
        assertEquals("Bob lives in Paris", ((TextPayload) kernel.read(alice, fused.id()).payload()).text());
        assertTrue(kernel.decisions().consolidate(List.of(a.id(), b.id()), decision).isEmpty(), "already merged");
    }

    @Test
    void an_import_keeps_the_history_and_a_resumed_one_changes_nothing() {
        MemCube cube = write("Bob lives in Paris");
        kernel.update(alice, cube.id(), 1, CubePatch.text("Bob lives in Berlin"));
        List<MemCube> history = kernel.history(alice, cube.id());
        directory.createSpace(bob, "copy", "bob's copy");

        Imports.Result imported = kernel.imports().importCube(bob, "copy", history);
        Imports.Result again = kernel.imports().importCube(bob, "copy", history);

        assertTrue(imported.imported());
        assertEquals(2, imported.cube().version());
        assertEquals(false, again.imported());
        assertEquals(imported.cube().id(), again.cube().id());
        CubeId copy = imported.cube().id();
        assertEquals("Bob lives in Paris", ((TextPayload) kernel.readVersion(bob, copy, 1).payload()).text());
    }
}
