package dev.memos.kernel.access;

import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.model.Check;
import dev.memos.kernel.model.Limits;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/** A named collection of cubes: an agent's memory, a user's, a team's. */
public record Space(String name, String description, String createdBy, Instant createdAt) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    public Space {
        requireName(name);
        Check.maxLength("description", description, Limits.MAX_DESCRIPTION);
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public static String requireName(String name) {
        Check.required("space", name);
        if (!NAME.matcher(name).matches()) {
            throw new InvalidException("space", "'" + (name.length() > 40 ? name.substring(0, 40) + "…" : name)
                    + "' is not a space name (lower-case letters, digits and . _ -, starting with a letter or digit, "
                    + "at most 63 characters)");
        }
        return name;
    }
}
