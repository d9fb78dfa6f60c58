package dev.memos.kernel.lineage;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.UUID;

/**
 * A link between two cube versions, with the operation that made it, who did it, when, and the
 * event that recorded it. One edge per (type, from, to): recording it again changes nothing.
 */
public record LineageEdge(EdgeType type, VersionRef from, VersionRef to, String operation, String actor, Instant at,
                          UUID eventId) implements Comparable<LineageEdge> {
    private static final Comparator<LineageEdge> ORDER = Comparator.comparing(LineageEdge::from)
            .thenComparing(LineageEdge::type).thenComparing(LineageEdge::to);

    public LineageEdge {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(eventId, "eventId");
    }

    /** The version this edge leads to from {@code node} when walking in {@code ancestors} direction, or null. */
    public VersionRef next(VersionRef node, boolean ancestors) {
        boolean forwards = type.pointsToOrigin() == ancestors;
        if (forwards && from.equals(node)) {
            return to;
        }
        if (!forwards && to.equals(node)) {
            return from;
        }
        return null;
    }

    @Override
    public int compareTo(LineageEdge other) {
        return ORDER.compare(this, other);
    }
}
