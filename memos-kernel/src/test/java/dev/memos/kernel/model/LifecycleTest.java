package dev.memos.kernel.model;

import dev.memos.kernel.error.ConflictException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;

import static dev.memos.kernel.model.LifecycleState.*;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LifecycleTest {
    /** The design's table, written out independently of the implementation's. */
    private static final Set<String> LEGAL = Set.of(
            "GENERATED>ACTIVATED", "ACTIVATED>ARCHIVED", "ARCHIVED>ACTIVATED", "ACTIVATED>MERGED",
            "GENERATED>FROZEN", "ACTIVATED>FROZEN", "ARCHIVED>FROZEN",
            "GENERATED>DELETED", "ACTIVATED>DELETED", "ARCHIVED>DELETED", "MERGED>DELETED", "FROZEN>DELETED",
            "QUARANTINED>GENERATED", "QUARANTINED>DELETED");

    static Stream<Arguments> everyPair() {
        return EnumSet.allOf(LifecycleState.class).stream()
                .flatMap(from -> EnumSet.allOf(LifecycleState.class).stream().map(to -> Arguments.of(from, to)));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("everyPair")
    void every_transition_is_legal_exactly_when_the_design_lists_it(LifecycleState from, LifecycleState to) {
        boolean legal = LEGAL.contains(from + ">" + to);
        assertEquals(legal, Lifecycle.isLegal(from, to));
        if (legal) {
            assertDoesNotThrow(() -> Lifecycle.requireLegal(from, to));
        } else {
            ConflictException e = assertThrows(ConflictException.class, () -> Lifecycle.requireLegal(from, to));
            assertEquals(true, e.getMessage().contains(from + " → " + to), e.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("states")
    void live_states_are_exactly_the_ones_that_may_still_change(LifecycleState state) {
        assertEquals(Set.of(GENERATED, ACTIVATED, ARCHIVED).contains(state), state.isLive());
    }

    static Stream<LifecycleState> states() {
        return Stream.of(LifecycleState.values());
    }
}
