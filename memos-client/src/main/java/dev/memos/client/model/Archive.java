package dev.memos.client.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** Export and import of spaces, data-subject operations, ingestion, contradictions, cube changes. */
public final class Archive {
    private Archive() {
    }

    /** A cube with every version, as an export lists it. */
    public record ArchivedCube(String id, List<Cube> versions) {
    }

    public record ExportPage(List<ArchivedCube> items, String nextCursor) {
    }

    public record Import(List<Cube> versions) {
    }

    /** @param archivedId the id in the archive, when the cube came in under another */
    public record Imported(String id, String archivedId, int version, boolean imported) {
    }

    /** Text replaced ({@code replace} → {@code with}) and/or the subject corrected, as new versions. */
    public record Rectify(String replace, String with, String subject) {
    }

    public record Skipped(String cube, String reason) {
    }

    public record Rectified(List<Cube> changed, int unchanged, List<Skipped> skipped) {
    }

    /** Records as docs/ingest.md describes them (a conversation, a document, facts). */
    public record IngestRequest(List<JsonNode> records) {
    }

    public record IngestResult(String status, List<String> cubes, Integer created, String reason, String message) {
    }

    public record Ingested(int written, int rejected, int created, List<IngestResult> results) {
    }

    public record Verdict(String cube, int version, boolean contradicted) {
    }

    public record Verdicts(List<Verdict> verdicts) {
    }

    /** @param to GENERATED, ACTIVATED, ARCHIVED, MERGED, FROZEN or DELETED */
    public record Transition(String to, String reason) {
    }

    public record Invalidate(java.time.Instant validTo, String reason) {
    }

    public record Rollback(Integer version) {
    }

    public record Release(String reason) {
    }

    public record ContradictionCheck(Integer candidates) {
    }
}
