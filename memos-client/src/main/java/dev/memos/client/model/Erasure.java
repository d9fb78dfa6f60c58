package dev.memos.client.model;

import java.time.Instant;
import java.util.List;

/**
 * An erasure request and its report: per place, what was removed and how it was checked.
 *
 * @param scope  CUBE, SPACE or SUBJECT
 * @param status PENDING, VERIFIED or FAILED
 */
public record Erasure(String id, String scope, String target, String space, String requestedBy, Instant requestedAt,
                      Instant dueAt, boolean cascade, String status, Instant completedAt, List<String> cubes,
                      long cubeCount, List<String> derivedKept, int derivedHidden, List<Check> checks) {

    public boolean done() {
        return !"PENDING".equals(status);
    }

    public record Check(String place, String action, String check, boolean passed) {
    }

    /** The erasures of a data subject: one per space. */
    public record Erased(List<Erasure> erasures) {
    }
}
