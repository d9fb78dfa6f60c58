package dev.memos.kernel.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Who owns a cube and how it may be used.
 *
 * @param owner the principal id that owns it
 * @param expiresAt time to live: after this instant the scheduler deletes the cube (null: never)
 * @param priority -100 … 100, 0 by default; ranks retrieval and protects from eviction
 * @param sensitivity labels such as pii, health, finance
 * @param purpose the context the memory may be used in (null: any)
 * @param subject the person the memory is about (a data subject: list, export, rectify and erase by it), null: none
 */
public record Governance(String owner, Instant expiresAt, int priority, Set<String> sensitivity, String purpose,
                         String subject) {
    public Governance {
        Objects.requireNonNull(owner, "owner");
        Check.range("priority", priority, Limits.MIN_PRIORITY, Limits.MAX_PRIORITY);
        Check.maxSize("sensitivity", sensitivity, Limits.MAX_SENSITIVITY_LABELS);
        Check.labels("sensitivity", sensitivity);
        sensitivity = sensitivity == null ? Set.of() : Set.copyOf(sensitivity);
        Check.optionalLabel("purpose", purpose);
        subject = Check.subject(subject);
    }

    /** Governance about no particular person. */
    public Governance(String owner, Instant expiresAt, int priority, Set<String> sensitivity, String purpose) {
        this(owner, expiresAt, priority, sensitivity, purpose, null);
    }

    public Governance withSubject(String newSubject) {
        return new Governance(owner, expiresAt, priority, sensitivity, purpose, newSubject);
    }
}
