package dev.memos.client.model;

import java.time.Instant;
import java.util.List;

/** Where a cube came from and what became of it. Versions the caller may not read are redacted. */
public final class Lineage {
    private Lineage() {
    }

    public record Node(String ref, String id, int version, String space, String state, String kind, String text,
                       String operation, String actor, Instant recordedAt, String source, String sourceRef,
                       boolean redacted) {
    }

    /** @param type VERSION_OF, DERIVED_FROM, MERGED_INTO, MIGRATED_TO, CONTRADICTS … */
    public record Edge(String type, String from, String to, String operation, String actor, Instant at,
                       String eventId) {
    }

    public record Graph(String root, String direction, int depth, List<Node> nodes, List<Edge> edges,
                        boolean truncated) {
    }

    public record Step(Node node, List<String> inputs) {
    }

    public record Provenance(String cube, List<Step> steps, boolean truncated) {
    }
}
