package dev.memos.client.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Administration, the audit trail and the scheduler's log. */
public final class Admin {
    private Admin() {
    }

    public record Optimized(int segmentsBefore, int segmentsAfter, long tookMs) {
    }

    public record Rebuilt(long indexed, long tookMs) {
    }

    /** The index against the database: cubes missing from the index, stale in it, or orphaned there. */
    public record IndexCheck(long cubes, long indexed, List<String> missing, List<String> stale,
                             List<String> orphaned) {
        public boolean consistent() {
            return missing.isEmpty() && stale.isEmpty() && orphaned.isEmpty();
        }
    }

    public record LineageRebuilt(long events, long tookMs) {
    }

    /** A cube the indexer set aside (the embedder refused its text): indexed for keywords only. */
    public record SetAsideCube(String id, String space, String reason, int attempts, Instant firstAt, Instant lastAt) {
    }

    public record SetAside(long total, List<SetAsideCube> cubes) {
    }

    public record SetAsideRetried(long before, long stillSetAside, long tookMs) {
    }

    public record AuditEntry(long seq, Instant at, String actor, String action, String space, String target,
                             String detail, String prevHash, String hash) {
    }

    public record AuditHead(long firstSeq, String anchor, long lastSeq, String lastHash) {
    }

    /** @param problem what broke the chain, when it is not intact */
    public record AuditVerification(boolean intact, long checked, AuditHead head, String problem) {
    }

    /** A scheduler decision about a cube: a promotion, demotion, merge … and why. */
    public record Decision(String eventId, Instant at, String type, String cubeId, String from, String to,
                           String policy, String reason, Map<String, String> inputs) {
    }
}
