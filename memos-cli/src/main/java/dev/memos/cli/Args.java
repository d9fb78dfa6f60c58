package dev.memos.cli;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Option values the typed client takes in other types than the strings picocli gives. */
final class Args {
    private Args() {
    }

    /** An ISO-8601 instant, or null; a usage error naming the option otherwise. */
    static Instant instant(String option, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new CliException(ExitCodes.USAGE, option + ": '" + value + "' is not an ISO-8601 instant such as "
                    + "2026-03-01T00:00:00Z");
        }
    }

    static Set<String> set(List<String> values) {
        return values == null ? null : new LinkedHashSet<>(values);
    }
}
