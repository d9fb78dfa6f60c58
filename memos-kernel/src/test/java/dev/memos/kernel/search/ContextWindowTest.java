package dev.memos.kernel.search;

import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.Governance;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.Operation;
import dev.memos.kernel.model.Provenance;
import dev.memos.kernel.model.Source;
import dev.memos.kernel.model.Temporal;
import dev.memos.kernel.model.TextPayload;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContextWindowTest {
    private static final Instant T = Instant.parse("2026-05-01T10:00:00Z");

    private static MemCube turn(String text) {
        return MemCube.builder().id(CubeId.next(Clock.systemUTC())).space("s")
                .payload(new TextPayload(text, "message", List.of()))
                .provenance(new Provenance(Source.CONVERSATION, null, "p", "session-1", Operation.WRITE, List.of()))
                .time(new Temporal(null, null, T, null))
                .governance(new Governance("p", null, 0, Set.of(), null)).build();
    }

    private final List<MemCube> session = IntStream.range(0, 6).mapToObj(i -> turn("turn " + i)).toList();

    @Test
    void a_window_holds_the_neighbours_before_and_after_in_order() {
        ContextWindow windows = new ContextWindow(2, 1);
        Map<CubeId, ContextWindow.Window> w = windows.windows(session, session, id -> null);
        assertEquals("turn 1\nturn 2\nturn 3\nturn 4", w.get(session.get(3).id()).text());
        assertEquals("turn 0\nturn 1", w.get(session.get(0).id()).text(), "the first turn has no turns before it");
        assertEquals("turn 3\nturn 4\nturn 5", w.get(session.get(5).id()).text(), "the last none after it");
        assertNull(w.get(session.get(3).id()).vector(), "no vector without the cube's own");
    }

    @Test
    void the_window_vector_adds_half_of_each_neighbours_vector_and_is_normalised() {
        Map<CubeId, float[]> vectors = new HashMap<>();
        vectors.put(session.get(0).id(), new float[] {1, 0});
        vectors.put(session.get(1).id(), new float[] {0, 1});
        ContextWindow.Window w = new ContextWindow(1, 0).windows(session, List.of(session.get(1)), vectors::get)
                .get(session.get(1).id());
        float norm = (float) Math.sqrt(0.25 + 1);
        assertArrayEquals(new float[] {0.5f / norm, 1 / norm}, w.vector(), 1e-6f);
        ContextWindow.Window alone = new ContextWindow(0, 1).windows(session, List.of(session.get(1)), vectors::get)
                .get(session.get(1).id());
        assertArrayEquals(new float[] {0, 1}, alone.vector(), 1e-6f, "a neighbour without a vector adds nothing");
    }

    @Test
    void a_window_of_several_cubes_is_pending_its_own_embedding_only_when_windows_are_embedded_as_text() {
        Map<CubeId, float[]> vectors = new HashMap<>();
        session.forEach(c -> vectors.put(c.id(), new float[] {1, 0}));
        ContextWindow embedded = new ContextWindow(1, 0, true);
        assertTrue(embedded.embedText());
        assertTrue(embedded.windows(session, List.of(session.get(1)), vectors::get).get(session.get(1).id()).pending());
        assertFalse(embedded.windows(session, List.of(session.get(0)), vectors::get).get(session.get(0).id()).pending(),
                "a window of the cube alone has its own vector already");
        assertFalse(embedded.windows(session, List.of(session.get(1)), id -> null).get(session.get(1).id()).pending(),
                "nothing to replace without a vector");
        assertFalse(new ContextWindow(1, 0).windows(session, List.of(session.get(1)), vectors::get)
                .get(session.get(1).id()).pending(), "mixed vectors stay when windows are not embedded as text");
    }

    @Test
    void a_new_turn_changes_its_own_window_and_those_of_the_turns_before_it_that_reach_it() {
        ContextWindow windows = new ContextWindow(2, 1);
        assertEquals(List.of(session.get(4), session.get(5)), windows.affected(session, Set.of(session.get(5).id())));
        assertEquals(List.of(session.get(1), session.get(2), session.get(3), session.get(4)),
                windows.affected(session, Set.of(session.get(2).id())),
                "a turn written out of order reaches the turn before it and the two after");
    }

    @Test
    void cubes_outside_the_session_get_no_window_and_sizes_are_checked() {
        MemCube stranger = turn("elsewhere");
        assertTrue(new ContextWindow(2, 1).windows(session, List.of(stranger), id -> null).isEmpty());
        assertFalse(new ContextWindow(0, 0).enabled());
        assertThrows(IllegalArgumentException.class, () -> new ContextWindow(-1, 0));
    }
}
