package dev.memos.client;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.memos.client.model.Admin;
import dev.memos.client.model.Archive;
import dev.memos.client.model.Cube;
import dev.memos.client.model.Erasure;
import dev.memos.client.model.Page;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/** Erasure reports, data-subject operations and the audit trail (docs/privacy.md). */
public final class PrivacyClient {
    private final Transport transport;

    PrivacyClient(Transport transport) {
        this.transport = transport;
    }

    private static String subject(String subject) {
        return "/v1/subjects/" + Transport.segment(subject);
    }

    public Erasure erasure(String id) {
        return transport.call(Transport.Call.get("/v1/erasures/" + Transport.segment(id)), Erasure.class);
    }

    /** Polls an erasure until its report is complete (VERIFIED or FAILED) or {@code timeout} has passed. */
    public Erasure awaitErasure(String id, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        Erasure current = erasure(id);
        while (!current.done() && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return current;
            }
            current = erasure(id);
        }
        return current;
    }

    /** The newest erasures of a space (its administrators), or of every space (null; administrators). */
    public List<Erasure> erasures(String space, Integer limit) {
        return transport.call(Transport.Call.get("/v1/erasures" + Transport.query(Transport.params(
                "space", space, "limit", limit))), new TypeReference<Page<Erasure>>() {
        }).items();
    }

    /** One page of the cubes about a data subject, across the spaces the key administers. */
    public Page<Cube> subjectCubes(String subject, String cursor, Integer limit) {
        return transport.call(Transport.Call.get(subject(subject) + "/cubes" + Transport.query(Transport.params(
                "cursor", cursor, "limit", limit))), new TypeReference<>() {
        });
    }

    /** One page of a data subject's export (the archive format). */
    public Archive.ExportPage exportSubject(String subject, String cursor, Integer limit, boolean redact) {
        return transport.call(Transport.Call.get(subject(subject) + "/export" + Transport.query(Transport.params(
                "cursor", cursor, "limit", limit, "redact", redact ? "true" : null))), Archive.ExportPage.class);
    }

    /** Text replaced and/or the subject corrected, as new versions of every cube about the subject. */
    public Archive.Rectified rectify(String subject, Archive.Rectify rectify) {
        return transport.call(Transport.Call.post(subject(subject) + "/rectify", rectify), Archive.Rectified.class);
    }

    /** Erases everything about a subject: one erasure per space. */
    public Erasure.Erased eraseSubject(String subject, boolean cascade, String reason) {
        return transport.call(Transport.Call.delete(subject(subject) + Transport.query(Transport.params(
                "cascade", cascade ? "true" : null, "reason", reason))), Erasure.Erased.class);
    }

    /** One page of the audit trail, oldest first, after the entry numbered {@code after} (null: from the start). */
    public Page<Admin.AuditEntry> audit(String space, String after, Integer limit) {
        return transport.call(Transport.Call.get("/v1/audit" + Transport.query(Transport.params(
                "space", space, "after", after, "limit", limit))), new TypeReference<>() {
        });
    }

    /** The whole audit trail (of a space, or everything), page by page as the stream is read. */
    public Stream<Admin.AuditEntry> auditAll(String space) {
        return MemosClient.all(after -> audit(space, after, null));
    }

    /** Checks the audit trail's hash chain (administrators). */
    public Admin.AuditVerification verifyAudit() {
        return transport.call(Transport.Call.get("/v1/audit/verify"), Admin.AuditVerification.class);
    }
}
