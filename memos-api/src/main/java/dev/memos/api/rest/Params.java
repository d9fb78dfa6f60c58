package dev.memos.api.rest;

import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.model.LifecycleState;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsing of query parameters and headers, each failure naming the parameter. */
final class Params {
    private static final Pattern ETAG = Pattern.compile("\\s*(?:W/)?\"?(\\d{1,9})\"?\\s*");

    private Params() {
    }

    static <T> T body(String what, T body) {
        if (body == null) {
            throw new InvalidException(null, "a JSON body is required: " + what);
        }
        return body;
    }

    static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidException(name, "'" + value + "' is not an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
    }

    static LifecycleState state(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        for (LifecycleState state : LifecycleState.values()) {
            if (state.name().equalsIgnoreCase(value.strip())) {
                return state;
            }
        }
        throw new InvalidException(name, "'" + value + "' is not a state; use one of " + Arrays.toString(LifecycleState.values()));
    }

    static int integer(String name, String value, int fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new InvalidException(name, "'" + value + "' is not a whole number");
        }
    }

    static long longValue(String name, String value) {
        try {
            long parsed = Long.parseLong(value.strip());
            if (parsed < 0) {
                throw new InvalidException(name, "must not be negative; got " + parsed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new InvalidException(name, "'" + value + "' is not a whole number");
        }
    }

    /** The cube id a {@code cursor} query parameter carries (a list's nextCursor), or null for the first page. */
    static dev.memos.kernel.model.CubeId cursor(String cursor) {
        try {
            return cursor == null || cursor.isBlank() ? null : dev.memos.kernel.model.CubeId.parse(cursor);
        } catch (InvalidException e) {
            throw new InvalidException("cursor", "is not a cursor returned by this endpoint");
        }
    }

    /** Cube ids of a request field; null stays null. */
    static java.util.List<dev.memos.kernel.model.CubeId> cubeIds(String name, java.util.List<String> values) {
        if (values == null) {
            return null;
        }
        return values.stream().map(v -> {
            if (v == null) {
                throw new InvalidException(name, "must not contain null");
            }
            try {
                return dev.memos.kernel.model.CubeId.parse(v);
            } catch (InvalidException e) {
                throw new InvalidException(name, "'" + (v.length() > 60 ? v.substring(0, 60) + "…" : v)
                        + "' is not a cube id (a UUID)");
            }
        }).toList();
    }

    /** {@code true} or {@code false} (case-insensitive); absent is false. */
    static boolean flag(String name, String value) {
        if (value == null || value.isBlank() || value.strip().equalsIgnoreCase("false")) {
            return false;
        }
        if (value.strip().equalsIgnoreCase("true")) {
            return true;
        }
        throw new InvalidException(name, "must be true or false; got '" + value + "'");
    }

    /** A value of an enum, case-insensitive, or {@code fallback} when absent. */
    static <E extends Enum<E>> E choice(String name, String value, Class<E> type, E fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value.strip())) {
                return e;
            }
        }
        throw new InvalidException(name, "'" + value + "' is not one of "
                + Arrays.toString(type.getEnumConstants()).toLowerCase(java.util.Locale.ROOT));
    }

    /** The version an {@code If-Match} header names, or null when the header is absent. */
    static Integer ifMatch(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        Matcher m = ETAG.matcher(header);
        if (!m.matches()) {
            throw new InvalidException("If-Match", "'" + header + "' is not a cube version ETag such as \"3\"");
        }
        return Integer.parseInt(m.group(1));
    }

    static String etag(int version) {
        return "\"" + version + "\"";
    }
}
