package dev.memos.scheduler.policy;

import dev.memos.kernel.CubePatch;
import dev.memos.kernel.MemoryKernel;
import dev.memos.kernel.NewCube;
import dev.memos.kernel.error.NotFoundException;
import dev.memos.kernel.event.EventType;
import dev.memos.kernel.event.KernelEvent;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.spi.UsageSink;
import dev.memos.scheduler.Fixture;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The working set in front of the kernel's reads. */
class WorkingSetTest {
    private final Fixture f = new Fixture();
    private final WorkingSet workingSet = new WorkingSet(2, 10);
    private final MemoryKernel kernel = new MemoryKernel(f.backend, f.backend, f.backend, f.backend, f.clock,
            dev.memos.kernel.KernelServices.NONE.withWorkingSet(workingSet));

    private MemCube write(String text) {
        return kernel.write(f.owner.principal(), f.space, NewCube.text(text, "fact")).cube();
    }

    @Test
    void a_second_read_is_served_from_the_working_set() {
        MemCube cube = write("the office opens at eight");
        kernel.read(f.owner.principal(), cube.id());
        assertEquals(new WorkingSet.Stats(1, 0, 1), workingSet.stats());
        assertEquals(cube.id(), kernel.read(f.reader.principal(), cube.id()).id());
        assertEquals(new WorkingSet.Stats(1, 1, 1), workingSet.stats());
    }

    @Test
    void a_cached_cube_still_needs_a_grant_and_an_outsider_learns_nothing_more() {
        MemCube cube = write("the safe code is 1234");
        kernel.read(f.owner.principal(), cube.id());
        NotFoundException denied = assertThrows(NotFoundException.class, () -> kernel.read(f.outsider.principal(), cube.id()));
        assertEquals("no cube " + cube.id(), denied.getMessage(), "the same answer as without a working set");
    }

    @Test
    void a_change_through_the_kernel_is_read_at_once() {
        MemCube cube = write("the meeting is on Monday");
        kernel.read(f.owner.principal(), cube.id());
        kernel.update(f.owner.principal(), cube.id(), 1, new CubePatch("the meeting is on Tuesday", null, null, null, null,
                null, false, null, null, null));
        assertEquals(2, kernel.read(f.owner.principal(), cube.id()).version());
        kernel.transition(f.owner.principal(), cube.id(), LifecycleState.ACTIVATED, null);
        assertEquals(LifecycleState.ACTIVATED, kernel.read(f.owner.principal(), cube.id()).state());
        kernel.delete(f.owner.principal(), cube.id(), null);
        assertEquals(LifecycleState.DELETED, kernel.read(f.owner.principal(), cube.id()).state());
    }

    @Test
    void committed_events_from_elsewhere_drop_cubes_and_a_deleted_space_drops_its_set() {
        MemCube one = write("one");
        MemCube two = write("two");
        kernel.read(f.owner.principal(), one.id());
        kernel.read(f.owner.principal(), two.id());
        workingSet.accept(List.of(new KernelEvent(UUID.randomUUID(), EventType.CUBE_VERSIONED, f.space, one.id(), 2, "other",
                Instant.now(), Map.of())));
        assertNull(workingSet.get(one.id()));
        assertNotNull(workingSet.get(two.id()));
        workingSet.accept(List.of(new KernelEvent(UUID.randomUUID(), EventType.SPACE_DELETED, f.space, null, 0, "other",
                Instant.now(), Map.of())));
        assertNull(workingSet.get(two.id()));
    }

    @Test
    void each_space_keeps_at_most_its_size() {
        for (int i = 0; i < 20; i++) {
            kernel.read(f.owner.principal(), write("note " + i).id());
        }
        assertEquals(2, workingSet.stats().cubes());
    }
}
