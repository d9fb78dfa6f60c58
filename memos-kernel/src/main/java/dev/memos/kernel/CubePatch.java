package dev.memos.kernel;

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
}
