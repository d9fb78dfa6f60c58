package dev.memos.client.model;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** The fields of a cube to change (version n+1); the others stay. {@code clearExpiresAt} removes the time to live. */
public record CubePatch(String text, String kind, List<String> tags, Instant validFrom, Instant validTo,
                       Instant expiresAt, Boolean clearExpiresAt, Integer priority, Set<String> sensitivity,
                       String purpose, String subject) {

    public static CubePatch text(String text) {
        return new CubePatch(text, null, null, null, null, null, null, null, null, null, null);
    }

    public static CubePatch none() {
        return new CubePatch(null, null, null, null, null, null, null, null, null, null, null);
    }

    public CubePatch withText(String text) {
        return new CubePatch(text, kind, tags, validFrom, validTo, expiresAt, clearExpiresAt, priority, sensitivity,
                purpose, subject);
    }

    public CubePatch withKind(String kind) {
        return new CubePatch(text, kind, tags, validFrom, validTo, expiresAt, clearExpiresAt, priority, sensitivity,
                purpose, subject);
    }

    public CubePatch withTags(List<String> tags) {
        return new CubePatch(text, kind, tags, validFrom, validTo, expiresAt, clearExpiresAt, priority, sensitivity,
                purpose, subject);
    }

    public CubePatch withValidity(Instant validFrom, Instant validTo) {
        return new CubePatch(text, kind, tags, validFrom, validTo, expiresAt, clearExpiresAt, priority, sensitivity,
                purpose, subject);
    }

    public CubePatch withSubject(String subject) {
        return new CubePatch(text, kind, tags, validFrom, validTo, expiresAt, clearExpiresAt, priority, sensitivity,
                purpose, subject);
    }
}
