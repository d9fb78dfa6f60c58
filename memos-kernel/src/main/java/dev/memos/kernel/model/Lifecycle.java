package dev.memos.kernel.model;

import dev.memos.kernel.error.ConflictException;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static dev.memos.kernel.model.LifecycleState.ACTIVATED;
import static dev.memos.kernel.model.LifecycleState.ARCHIVED;
import static dev.memos.kernel.model.LifecycleState.DELETED;
import static dev.memos.kernel.model.LifecycleState.FROZEN;
import static dev.memos.kernel.model.LifecycleState.GENERATED;
import static dev.memos.kernel.model.LifecycleState.MERGED;
import static dev.memos.kernel.model.LifecycleState.QUARANTINED;

/**
 * The lifecycle state machine. Every legal transition is listed in {@link #LEGAL}; anything else is
 * rejected.
 *
 * <pre>
 * GENERATED → ACTIVATED ⇄ ARCHIVED
 * ACTIVATED → MERGED
 * GENERATED | ACTIVATED | ARCHIVED → FROZEN
 * any state but DELETED → DELETED
 * </pre>
 */
public final class Lifecycle {
    private static final Map<LifecycleState, Set<LifecycleState>> LEGAL;

    static {
        Map<LifecycleState, Set<LifecycleState>> legal = new EnumMap<>(LifecycleState.class);
        legal.put(GENERATED, EnumSet.of(ACTIVATED, FROZEN, DELETED));
        legal.put(ACTIVATED, EnumSet.of(ARCHIVED, MERGED, FROZEN, DELETED));
        legal.put(ARCHIVED, EnumSet.of(ACTIVATED, FROZEN, DELETED));
        legal.put(MERGED, EnumSet.of(DELETED));
        legal.put(FROZEN, EnumSet.of(DELETED));
        legal.put(DELETED, EnumSet.noneOf(LifecycleState.class));
        legal.put(QUARANTINED, EnumSet.of(GENERATED, DELETED));
        legal.replaceAll((state, targets) -> Collections.unmodifiableSet(targets));
        LEGAL = Collections.unmodifiableMap(legal);
    }

    private Lifecycle() {
    }

    public static boolean isLegal(LifecycleState from, LifecycleState to) {
        return LEGAL.get(from).contains(to);
    }

    /** The states a cube in {@code from} may move to. */
    public static Set<LifecycleState> targets(LifecycleState from) {
        return LEGAL.get(from);
    }

    /** @throws ConflictException when the move is not in the table */
    public static void requireLegal(LifecycleState from, LifecycleState to) {
        if (!isLegal(from, to)) {
            throw new ConflictException("illegal lifecycle transition " + from + " → " + to
                    + "; from " + from + " a cube may move to " + (targets(from).isEmpty() ? "nothing" : targets(from)));
        }
    }
}
