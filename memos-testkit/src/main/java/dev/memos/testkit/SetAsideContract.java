package dev.memos.testkit;

import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.spi.SetAside;
import dev.memos.kernel.spi.Transactions;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract of the cubes set aside ({@link SetAside}), for every back end: counted failures, oldest first,
 * cleared by cube or by space, each node's apart from another's on the same back end (each node keeps its own search
 * index). Each test uses fresh cube ids and spaces, and looks only at its own entries, so a back end shared with
 * other tests (one database) need not be emptied.
 */
public abstract class SetAsideContract {
    private static final Instant T0 = Instant.parse("2026-05-01T08:00:00Z");
    private static final Clock CLOCK = Clock.systemUTC();

    protected abstract SetAside setAside();

    /** The cubes another node sets aside, on the same back end. */
    protected abstract SetAside otherNode();

    protected abstract Transactions transactions();

    private <T> T tx(Supplier<T> work) {
        return transactions().inTransaction(work);
    }

    private void record(CubeId cube, String space, String reason, Instant at) {
        tx(() -> {
            setAside().record(cube, space, reason, at);
            return null;
        });
    }

    private List<SetAside.Entry> mine(Set<CubeId> cubes) {
        return of(setAside(), cubes);
    }

    private List<SetAside.Entry> of(SetAside node, Set<CubeId> cubes) {
        return tx(() -> node.list(10_000)).stream().filter(e -> cubes.contains(e.cube())).toList();
    }

    private static String space() {
        return "aside-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void a_failure_recorded_again_counts_its_attempts_and_keeps_its_first_time() {
        CubeId cube = CubeId.next(CLOCK);
        String space = space();
        long before = tx(() -> setAside().count());
        record(cube, space, "the embedder answered 400", T0);
        record(cube, space, "the embedder answered 413", T0.plusSeconds(60));
        List<SetAside.Entry> entries = mine(Set.of(cube));
        assertEquals(List.of(new SetAside.Entry(cube, space, "the embedder answered 413", 2, T0, T0.plusSeconds(60))),
                entries);
        assertEquals(before + 1, tx(() -> setAside().count()));
    }

    @Test
    void entries_are_listed_oldest_failure_first() {
        String space = space();
        CubeId late = CubeId.next(CLOCK);
        CubeId early = CubeId.next(CLOCK);
        record(late, space, "refused", T0.plusSeconds(10));
        record(early, space, "refused", T0.minusSeconds(10));
        assertEquals(List.of(early, late), mine(Set.of(early, late)).stream().map(SetAside.Entry::cube).toList());
    }

    @Test
    void cleared_cubes_and_deleted_spaces_leave_the_list() {
        String kept = space();
        String deleted = space();
        CubeId indexed = CubeId.next(CLOCK);
        CubeId stays = CubeId.next(CLOCK);
        CubeId gone = CubeId.next(CLOCK);
        record(indexed, kept, "refused", T0);
        record(stays, kept, "refused", T0);
        record(gone, deleted, "refused", T0);
        tx(() -> {
            setAside().clear(List.of(indexed));
            setAside().clearSpace(deleted);
            return null;
        });
        assertEquals(List.of(stays), mine(Set.of(indexed, stays, gone)).stream().map(SetAside.Entry::cube).toList());
        tx(() -> {
            setAside().clear(List.of()); // nothing to clear is no error
            return null;
        });
    }

    @Test
    void each_node_keeps_its_own_entries() {
        String space = space();
        CubeId both = CubeId.next(CLOCK);
        CubeId onlyOther = CubeId.next(CLOCK);
        record(both, space, "refused here", T0);
        tx(() -> {
            otherNode().record(both, space, "refused there", T0.plusSeconds(1));
            otherNode().record(onlyOther, space, "refused there", T0.plusSeconds(1));
            return null;
        });
        assertEquals(List.of(new SetAside.Entry(both, space, "refused here", 1, T0, T0)), mine(Set.of(both, onlyOther)));
        tx(() -> {
            setAside().clear(List.of(both, onlyOther)); // indexed in full here: the other node still holds them
            setAside().clearSpace(space);
            return null;
        });
        assertEquals(List.of(), mine(Set.of(both, onlyOther)));
        assertEquals(Set.of(both, onlyOther), of(otherNode(), Set.of(both, onlyOther)).stream()
                .map(SetAside.Entry::cube).collect(Collectors.toSet()));
    }

    @Test
    void a_long_reason_is_kept_within_512_characters() {
        CubeId cube = CubeId.next(CLOCK);
        record(cube, space(), "x".repeat(5_000), T0);
        String reason = mine(Set.of(cube)).getFirst().reason();
        assertTrue(reason.length() <= 512 && reason.startsWith("xxx"), reason.length() + " characters");
    }
}
