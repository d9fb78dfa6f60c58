package dev.memos.kernel;

import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.model.Governance;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.Payload;
import dev.memos.kernel.model.Temporal;
import dev.memos.kernel.model.TextPayload;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A change to a cube; null fields keep their current value. Applying it makes a new version.
 * {@code clearExpiresAt} and {@code clearValidity} exist because null already means "unchanged".
 */
public record CubePatch(String text, String kind, List<String> tags, Instant validFrom, Instant validTo,
                        Instant expiresAt, boolean clearExpiresAt, Integer priority, Set<String> sensitivity,
                        String purpose, String subject) {

    /** A patch that leaves the subject as it is. */
    public CubePatch(String text, String kind, List<String> tags, Instant validFrom, Instant validTo,
                     Instant expiresAt, boolean clearExpiresAt, Integer priority, Set<String> sensitivity,
                     String purpose) {
        this(text, kind, tags, validFrom, validTo, expiresAt, clearExpiresAt, priority, sensitivity, purpose, null);
    }

    public static CubePatch text(String text) {
        return new CubePatch(text, null, null, null, null, null, false, null, null, null);
    }

    public boolean isEmpty() {
        return text == null && kind == null && tags == null && validFrom == null && validTo == null
                && expiresAt == null && !clearExpiresAt && priority == null && sensitivity == null && purpose == null
                && subject == null;
    }

    /** The payload after this patch; text, kind and tags only change on a plaintext cube. */
    public Payload payload(MemCube current) {
        if (!(current.payload() instanceof TextPayload text)) {
            if (text() != null || kind() != null || tags() != null) {
                throw new InvalidException("text", current.tier() + " cubes have no text, kind or tags to change");
            }
            return current.payload();
        }
        return new TextPayload(
                text() != null ? text() : text.text(),
                kind() != null ? kind() : text.kind(),
                tags() != null ? tags() : text.tags());
    }

    /** The time of the new version: validity as patched, recorded {@code now}. */
    public Temporal time(Temporal current, Instant now) {
        return new Temporal(
                validFrom() != null ? validFrom() : current.validFrom(),
                validTo() != null ? validTo() : current.validTo(),
                now, null);
    }

    /** The governance after this patch; the owner never changes. */
    public Governance governance(Governance governance) {
        return new Governance(governance.owner(),
                clearExpiresAt() ? null : expiresAt() != null ? expiresAt() : governance.expiresAt(),
                priority() != null ? priority() : governance.priority(),
                sensitivity() != null ? sensitivity() : governance.sensitivity(),
                purpose() != null ? purpose() : governance.purpose(),
                subject() != null ? subject() : governance.subject());
    }
}
