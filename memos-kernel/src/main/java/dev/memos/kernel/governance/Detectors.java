package dev.memos.kernel.governance;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Offline detectors of personal data in text: each finds spans by a pattern and, where the format has one, checks
 * them (payment cards by the Luhn sum, IBANs by their mod-97 check, IP addresses by their octets), so that a
 * number that merely looks like one is not labelled. A cube whose text holds a finding gets the detector's
 * sensitivity label, which then restricts who may read it like any label.
 */
public final class Detectors {

    /** A detector and the sensitivity label it adds. */
    public enum Kind {
        EMAIL("pii.email"),
        PHONE("pii.phone"),
        PAYMENT_CARD("pii.payment-card"),
        IBAN("pii.iban"),
        IP_ADDRESS("pii.ip-address"),
        NATIONAL_ID("pii.national-id");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** The kind for a configuration name like {@code payment-card} or {@code PAYMENT_CARD}. */
        public static Kind named(String name) {
            return Kind.valueOf(name.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    /** One span of personal data: what found it and where (character offsets, end exclusive). */
    public record Finding(Kind kind, int start, int end) {
        /** Where, for an event or a log: never the text itself. */
        public String describe() {
            return kind.label() + "@" + start + "-" + end;
        }
    }

    private static final Pattern EMAIL = Pattern.compile(
            "(?<![\\w.+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63})*\\.[A-Za-z]{2,24}(?![\\w-])");
    /** International (+ and 8–15 digits) or a national number of 10–11 digits in usual groupings. */
    private static final Pattern PHONE = Pattern.compile(
            "(?<![\\w+])(?<!\\d[ .-])(?:\\+\\d{1,3}[ .-]?(?:\\(\\d{1,4}\\)[ .-]?)?\\d{1,4}(?:[ .-]?\\d{2,4}){2,4}"
                    + "|\\(\\d{3}\\)[ .-]?\\d{3}[ .-]\\d{4}|\\b\\d{3}[.-]\\d{3}[.-]\\d{4}|\\b0\\d{2,4}[ /-]\\d{3,4}[ -]?\\d{3,4})(?![\\w])(?![ .-]\\d)");
    private static final Pattern CARD = Pattern.compile("(?<![\\d-])(?:\\d[ -]?){12,18}\\d(?![\\d-])");
    private static final Pattern IBAN = Pattern.compile("(?<![A-Z0-9])[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![A-Z0-9])");
    private static final Pattern IPV4 = Pattern.compile("(?<![\\d.])(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?![\\d.]|\\.\\d)");
    private static final Pattern IPV6 = Pattern.compile(
            "(?<![:\\w])(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}(?![:\\w])|(?<![:\\w])(?:[0-9A-Fa-f]{1,4}:){1,6}:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4}(?![:\\w])");
    /** US social security numbers (not 000, 666 or 9xx areas) and UK National Insurance numbers. */
    private static final Pattern NATIONAL_ID = Pattern.compile(
            "\\b(?!000|666|9\\d\\d)\\d{3}-(?!00)\\d{2}-(?!0000)\\d{4}\\b"
                    + "|\\b(?![DFIQUV])[A-Z](?![DFIQUVO])[A-Z] ?\\d{2} ?\\d{2} ?\\d{2} ?[A-D]\\b");

    private final Set<Kind> enabled;

    public Detectors(Set<Kind> enabled) {
        this.enabled = enabled.isEmpty() ? EnumSet.noneOf(Kind.class) : EnumSet.copyOf(enabled);
    }

    public static Detectors all() {
        return new Detectors(EnumSet.allOf(Kind.class));
    }

    public static Detectors none() {
        return new Detectors(EnumSet.noneOf(Kind.class));
    }

    public Set<Kind> enabled() {
        return EnumSet.copyOf(enabled.isEmpty() ? EnumSet.noneOf(Kind.class) : enabled);
    }

    /** Every finding in the text, in order of position; overlapping findings of one kind are reported once. */
    public List<Finding> scan(String text) {
        List<Finding> found = new ArrayList<>();
        if (text == null || text.isEmpty() || enabled.isEmpty()) {
            return found;
        }
        if (enabled.contains(Kind.EMAIL)) {
            add(found, Kind.EMAIL, EMAIL.matcher(text), m -> true);
        }
        if (enabled.contains(Kind.PAYMENT_CARD)) {
            add(found, Kind.PAYMENT_CARD, CARD.matcher(text), m -> luhn(digits(m.group())));
        }
        if (enabled.contains(Kind.IBAN)) {
            add(found, Kind.IBAN, IBAN.matcher(text), m -> iban(m.group().replace(" ", "")));
        }
        if (enabled.contains(Kind.IP_ADDRESS)) {
            add(found, Kind.IP_ADDRESS, IPV4.matcher(text), Detectors::octets);
            add(found, Kind.IP_ADDRESS, IPV6.matcher(text), m -> true);
        }
        if (enabled.contains(Kind.NATIONAL_ID)) {
            add(found, Kind.NATIONAL_ID, NATIONAL_ID.matcher(text), m -> true);
        }
        if (enabled.contains(Kind.PHONE)) {
            // a span already found as a card, an IBAN, an address or an id is not also a phone number
            List<Finding> others = List.copyOf(found);
            add(found, Kind.PHONE, PHONE.matcher(text), m -> digits(m.group()).length() >= 8
                    && digits(m.group()).chars().distinct().count() > 2
                    && others.stream().noneMatch(f -> f.start() < m.end() && m.start() < f.end()));
        }
        found.sort(Comparator.comparingInt(Finding::start).thenComparing(Finding::kind));
        return found;
    }

    /** The labels of the findings, in detector order. */
    public static Set<String> labels(List<Finding> findings) {
        Set<String> labels = new LinkedHashSet<>();
        findings.stream().map(f -> f.kind().label()).sorted().forEach(labels::add);
        return labels;
    }

    /** The text with every finding replaced by {@code [<label>]}. */
    public String redact(String text) {
        List<Finding> findings = scan(text);
        if (findings.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        for (Finding f : findings) {
            if (f.start() < at) {
                continue; // overlaps a span already replaced
            }
            out.append(text, at, f.start()).append('[').append(f.kind().label()).append(']');
            at = f.end();
        }
        return out.append(text.substring(at)).toString();
    }

    private interface Check {
        boolean ok(Matcher m);
    }

    private static void add(List<Finding> found, Kind kind, Matcher m, Check check) {
        while (m.find()) {
            if (check.ok(m)) {
                found.add(new Finding(kind, m.start(), m.end()));
            }
        }
    }

    private static String digits(String s) {
        StringBuilder d = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c >= '0' && c <= '9') {
                d.append(c);
            }
        }
        return d.toString();
    }

    /** The Luhn check of payment card numbers (13–19 digits). */
    static boolean luhn(String digits) {
        if (digits.length() < 13 || digits.length() > 19 || digits.chars().distinct().count() == 1) {
            return false;
        }
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }

    /** ISO 13616: the country and check digits moved to the end, letters as numbers, mod 97 equals 1. */
    static boolean iban(String iban) {
        if (iban.length() < 15 || iban.length() > 34) {
            return false;
        }
        String moved = iban.substring(4) + iban.substring(0, 4);
        int remainder = 0;
        for (char c : moved.toCharArray()) {
            int value = Character.isDigit(c) ? c - '0' : c - 'A' + 10;
            remainder = value > 9 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
        }
        return remainder == 1;
    }

    private static boolean octets(Matcher m) {
        for (int g = 1; g <= 4; g++) {
            String octet = m.group(g);
            if (Integer.parseInt(octet) > 255 || octet.length() > 1 && octet.startsWith("0")) {
                return false;
            }
        }
        return true;
    }
}
