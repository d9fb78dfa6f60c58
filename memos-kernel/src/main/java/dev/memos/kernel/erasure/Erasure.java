package dev.memos.kernel.erasure;

import dev.memos.kernel.model.CubeId;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One request to erase a cube (with the cubes derived from it when {@code cascade}) or a whole space, and its
 * report: what was checked in each place memos keeps data, filled in by the eraser once it has checked.
 *
 * @param target the cube id or the space name
 * @param space the space the erased cubes were in
 * @param cubes the cubes erased (for a space: empty, see {@code cubeCount})
 * @param cubeCount how many cubes were erased
 * @param derivedKept cubes derived from an erased one that still hold their content (no cascade, or no grant to
 *                    erase them), as the requester may see them: readable ids only
 * @param derivedHidden how many more derived cubes the requester cannot read
 * @param checks empty while {@link Status#PENDING}
 */
public record Erasure(UUID id, Scope scope, String target, String space, String requestedBy, Instant requestedAt,
                      Instant dueAt, boolean cascade, List<CubeId> cubes, long cubeCount, List<CubeId> derivedKept,
                      int derivedHidden, Status status, Instant completedAt, List<Check> checks) {

    /** What was asked to be erased: a cube, a space, or everything about a data subject in one space. */
    public enum Scope { CUBE, SPACE, SUBJECT }

    public enum Status {
        /** Written; the eraser has not yet checked every place. */
        PENDING,
        /** Every place was checked and holds nothing of the erased cubes. */
        VERIFIED,
        /** The deadline passed with a check still failing; the checks say which. */
        FAILED
    }

    /**
     * What was done in one place and how it was checked.
     *
     * @param place e.g. {@code database}, {@code search-index}, {@code lineage}, {@code files}
     * @param action what the eraser did there
     * @param check how it checked, and what it found
     */
    public record Check(String place, String action, String check, boolean passed) {
        public Check {
            Objects.requireNonNull(place, "place");
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(check, "check");
        }
    }

    public Erasure {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(scope, "scope");
        cubes = List.copyOf(cubes);
        derivedKept = List.copyOf(derivedKept);
        checks = List.copyOf(checks);
    }

    public Erasure completed(Status outcome, Instant at, List<Check> found) {
        return new Erasure(id, scope, target, space, requestedBy, requestedAt, dueAt, cascade, cubes, cubeCount,
                derivedKept, derivedHidden, outcome, at, found);
    }
}
