package dev.memos.kernel.access;

import dev.memos.kernel.model.Check;
import dev.memos.kernel.model.Limits;
import dev.memos.kernel.model.MemCube;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A principal's role on a space, and what the grant is cleared for.
 *
 * <p>Who reaches a cube through a grant (every back end applies this in its storage query, like tenancy):
 * the cube's owner always; anyone else only when the grant clears every sensitivity label the cube has
 * carried in any version, and — if the grant is bound to purposes — every version's purpose is one of them
 * (a cube without a purpose is outside every purpose-bound grant).
 *
 * @param clearances sensitivity labels the grant may read; {@value #ALL} clears every label, and a label
 *                   clears the labels below it ({@code pii} clears {@code pii.email}). Empty: only unlabelled cubes.
 * @param purposes   the purposes the grant is bound to; empty: not bound, any purpose or none
 */
public record Grant(String space, String principalId, Role role, Instant grantedAt,
                    Set<String> clearances, Set<String> purposes) {
    /** The clearance for every sensitivity label. */
    public static final String ALL = "*";

    public Grant {
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(principalId, "principalId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(grantedAt, "grantedAt");
        clearances = labels("clearances", clearances, true);
        purposes = labels("purposes", purposes, false);
    }

    /** A grant cleared for every label and bound to no purpose: what a space's creator holds. */
    public static Grant unrestricted(String space, String principalId, Role role, Instant grantedAt) {
        return new Grant(space, principalId, role, grantedAt, Set.of(ALL), Set.of());
    }

    /** Sorted, validated, immutable; {@code *} allowed only where {@code wildcard}. */
    private static Set<String> labels(String field, Collection<String> values, boolean wildcard) {
        if (values == null) {
            return Set.of();
        }
        Check.maxSize(field, values, Limits.MAX_SENSITIVITY_LABELS);
        TreeSet<String> sorted = new TreeSet<>();
        for (String value : values) {
            sorted.add(wildcard && ALL.equals(value) ? value : Check.label(field, value));
        }
        return Collections.unmodifiableSet(sorted);
    }

    public boolean clearsAll() {
        return clearances.contains(ALL);
    }

    public boolean purposeBound() {
        return !purposes.isEmpty();
    }

    /** Whether the grant clears a sensitivity label: {@code *}, the label itself or a label above it. */
    public boolean clears(String label) {
        if (clearsAll() || clearances.contains(label)) {
            return true;
        }
        for (int dot = label.lastIndexOf('.'); dot > 0; dot = label.lastIndexOf('.', dot - 1)) {
            if (clearances.contains(label.substring(0, dot))) {
                return true;
            }
        }
        return false;
    }

    /** Whether the grant serves a cube version's purpose (null: the version has none). */
    public boolean serves(String purpose) {
        return !purposeBound() || purpose != null && purposes.contains(purpose);
    }

    /**
     * Whether this grant reaches a cube with these versions (its role aside): the owner always, anyone else
     * when every version's labels are cleared and every version's purpose is served.
     */
    public boolean reaches(Collection<MemCube> versions) {
        if (versions.isEmpty()) {
            return false;
        }
        MemCube live = versions.stream().reduce((a, b) -> b).orElseThrow();
        if (live.governance().owner().equals(principalId)) {
            return true;
        }
        return versions.stream().allMatch(v -> v.governance().sensitivity().stream().allMatch(this::clears)
                && serves(v.governance().purpose()));
    }
}
