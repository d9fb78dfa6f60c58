package dev.memos.kernel.model;

import dev.memos.kernel.error.InvalidException;

import java.util.Collection;
import java.util.regex.Pattern;

/** Validation helpers that fail with an {@link InvalidException} naming the offending field. */
public final class Check {
    /** Labels: tags, kinds, sensitivity labels, purposes. */
    public static final Pattern LABEL = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}_.:/-]{0,63}");

    private Check() {
    }

    public static <T> T required(String field, T value) {
        if (value == null) {
            throw new InvalidException(field, "is required");
        }
        return value;
    }

    public static String text(String field, String value, int maxChars) {
        required(field, value);
        if (value.isBlank()) {
            throw new InvalidException(field, "must not be blank");
        }
        return maxLength(field, value, maxChars);
    }

    public static String optionalText(String field, String value, int maxChars) {
        return value == null ? null : text(field, value, maxChars);
    }

    public static String maxLength(String field, String value, int maxChars) {
        if (value != null && value.length() > maxChars) {
            throw new InvalidException(field, "is " + value.length() + " characters long; the limit is " + maxChars);
        }
        return value;
    }

    public static String label(String field, String value) {
        required(field, value);
        if (!LABEL.matcher(value).matches()) {
            throw new InvalidException(field, "'" + abbreviate(value) + "' is not a valid label (letters, digits and _ . : / -, "
                    + "starting with a letter or digit, at most 64 characters)");
        }
        return value;
    }

    /** Checks every element of a possibly null collection of labels. */
    public static void labels(String field, Collection<String> values) {
        if (values != null) {
            for (String value : values) {
                label(field, value);
            }
        }
    }

    /**
     * A data subject: the person a memory is about, as the caller names them ({@code user:42}, an email, a name);
     * 1 … {@link Limits#MAX_NAME} characters, no control characters, trimmed. Null stays null.
     */
    public static String subject(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        text("subject", trimmed, Limits.MAX_NAME);
        if (trimmed.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidException("subject", "must not contain control characters");
        }
        return trimmed;
    }

    public static String optionalLabel(String field, String value) {
        return value == null ? null : label(field, value);
    }

    public static void maxSize(String field, Collection<?> values, int max) {
        if (values != null && values.size() > max) {
            throw new InvalidException(field, "has " + values.size() + " entries; the limit is " + max);
        }
    }

    public static int range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidException(field, "is " + value + "; it must be between " + min + " and " + max);
        }
        return value;
    }

    static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "…";
    }
}
