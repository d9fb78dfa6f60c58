package dev.memos.kernel.search;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the time a query is about ("last week", "in May 2023", "on 3 June, 2023", "two years ago",
 * "since March") and resolves it against a reference time — the conversation's own now, not the
 * server's. English only, rules only: what is not recognised yields nothing, never a guess.
 * <p>
 * A day, month or year resolves to the whole of it in the reference's zone; a month or day named without a
 * year is the latest one not after the reference. "before" ends the range where the time
 * named starts, "until" and "by" where it ends; "since" starts it there, "after" where it ends.
 */
public final class TimeExpressions {
    /** A range of event time, {@code from} inclusive and {@code to} exclusive; null ends are open. */
    public record Range(Instant from, Instant to, String expression) {
        public Range {
            Objects.requireNonNull(expression, "expression");
            if (from != null && to != null && !to.isAfter(from)) {
                throw new IllegalArgumentException("to must be after from: " + from + " .. " + to);
            }
        }

        public boolean contains(Instant t) {
            return (from == null || !t.isBefore(from)) && (to == null || t.isBefore(to));
        }
    }

    private record Span(ZonedDateTime from, ZonedDateTime to) {
    }

    private record Rule(Pattern pattern, BiFunction<Matcher, ZonedDateTime, Span> resolve) {
    }

    private static final String MONTH = "(january|february|march|april|may|june|july|august|september|october|november|"
            + "december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\\.?";
    private static final String DAY = "([0-3]?\\d)(?:st|nd|rd|th)?";
    private static final String YEAR = "((?:19|20)\\d\\d)";
    private static final String COUNT = "(\\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)";
    private static final String UNIT = "(day|week|month|year)s?";
    private static final String WEEKDAY = "(monday|tuesday|wednesday|thursday|friday|saturday|sunday)";
    private static final Map<String, Integer> NUMBERS = Map.ofEntries(Map.entry("a", 1), Map.entry("an", 1),
            Map.entry("one", 1), Map.entry("two", 2), Map.entry("three", 3), Map.entry("four", 4), Map.entry("five", 5),
            Map.entry("six", 6), Map.entry("seven", 7), Map.entry("eight", 8), Map.entry("nine", 9),
            Map.entry("ten", 10), Map.entry("eleven", 11), Map.entry("twelve", 12));
    private static final Pattern BOUND = Pattern.compile("\\b(before|until|till|by|after|since)\\s+$", Pattern.CASE_INSENSITIVE);
    private static final Pattern LEADING_BOUND = Pattern.compile("(before|until|till|by|after|since)\\s", Pattern.CASE_INSENSITIVE);

    /** Of the matches overlapping the earliest one, the longest is taken ("October 13, 2023" over "October 13"). */
    private static final List<Rule> RULES = List.of(
            rule(MONTH + "\\s+" + DAY + ",?\\s+" + YEAR, (m, ref) -> day(date(ref, year(m, 3), m.group(1), m.group(2)))),
            rule(DAY + "\\s+(?:of\\s+)?" + MONTH + ",?\\s+" + YEAR, (m, ref) -> day(date(ref, year(m, 3), m.group(2), m.group(1)))),
            rule(YEAR + "-(\\d\\d)-(\\d\\d)", (m, ref) -> day(LocalDate.of(year(m, 1), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3))).atStartOfDay(ref.getZone()))),
            rule(MONTH + ",?\\s+" + YEAR, (m, ref) -> month(YearMonth.of(year(m, 2), month(m.group(1))), ref)),
            rule(MONTH + "\\s+" + DAY + "(?![\\d:])", (m, ref) -> day(latest(ref, m.group(1), m.group(2)))),
            rule(DAY + "\\s+(?:of\\s+)?" + MONTH, (m, ref) -> day(latest(ref, m.group(2), m.group(1)))),
            // a bare "may" is a verb far more often than a month: the month alone needs a preposition ("this may" is a verb)
            rule("(?:in|during|of|last|since|before|after|until|till|by)\\s+" + MONTH + "(?!\\s*\\d)",
                    (m, ref) -> month(latestMonth(ref, m.group(1)), ref)),
            rule("(?:in|during|of|since|before|after|until|till|by)\\s+" + YEAR, (m, ref) -> year(year(m, 1), ref)),
            rule("the\\s+day\\s+before\\s+yesterday", (m, ref) -> day(ref.truncatedTo(ChronoUnit.DAYS).minusDays(2))),
            rule("yesterday", (m, ref) -> day(ref.truncatedTo(ChronoUnit.DAYS).minusDays(1))),
            rule("last\\s+night", (m, ref) -> new Span(ref.truncatedTo(ChronoUnit.DAYS).minusDays(1).withHour(18),
                    ref.truncatedTo(ChronoUnit.DAYS).plusHours(6))),
            rule("today|tonight|this\\s+(?:morning|afternoon|evening)", (m, ref) -> day(ref.truncatedTo(ChronoUnit.DAYS))),
            rule("tomorrow", (m, ref) -> day(ref.truncatedTo(ChronoUnit.DAYS).plusDays(1))),
            rule("(last|past|previous|this|next)\\s+(week|weekend|month|year)", TimeExpressions::named),
            rule("(last|this|next|on)\\s+" + WEEKDAY, TimeExpressions::weekday),
            rule(COUNT + "\\s+" + UNIT + "\\s+ago", TimeExpressions::ago),
            rule("(?:in\\s+the\\s+)?(?:past|last)\\s+" + COUNT + "\\s+" + UNIT,
                    (m, ref) -> new Span(ref.minus(count(m.group(1)), unit(m.group(2))), ref)),
            rule("recently|lately|these\\s+days", (m, ref) -> new Span(ref.minusDays(30), ref)));

    private TimeExpressions() {
    }

    private static Rule rule(String regex, BiFunction<Matcher, ZonedDateTime, Span> resolve) {
        return new Rule(Pattern.compile("\\b(?:" + regex + ")\\b", Pattern.CASE_INSENSITIVE), resolve);
    }

    /**
     * The first time expression in {@code text}, resolved against {@code reference}; empty when there is none
     * (or it names no real date, such as 31 February).
     */
    public static Optional<Range> find(String text, ZonedDateTime reference) {
        Objects.requireNonNull(reference, "reference");
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        List<Map.Entry<Matcher, Rule>> found = new ArrayList<>();
        for (Rule rule : RULES) {
            Matcher m = rule.pattern().matcher(text);
            if (m.find()) {
                found.add(Map.entry(m, rule));
            }
        }
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Matcher first = found.stream().map(Map.Entry::getKey).min(Comparator.comparingInt(Matcher::start)).orElseThrow();
        Map.Entry<Matcher, Rule> chosen = found.stream().filter(e -> e.getKey().start() < first.end())
                .max(Comparator.comparingInt(e -> e.getKey().end() - e.getKey().start())).orElseThrow();
        Matcher best = chosen.getKey();
        Rule bestRule = chosen.getValue();
        Span span;
        try {
            span = bestRule.resolve().apply(best, reference);
        } catch (java.time.DateTimeException e) {
            return Optional.empty();
        }
        String expression = best.group().trim();
        Instant from = span.from().toInstant();
        Instant to = span.to().toInstant();
        // the bound word is part of some rules' match ("since March") and precedes others' ("before May 3, 2023")
        Matcher inside = LEADING_BOUND.matcher(expression);
        Matcher before = BOUND.matcher(text.substring(0, best.start()));
        String bound = inside.lookingAt() ? inside.group(1) : before.find() ? before.group(1) : null;
        if (bound != null) {
            if (!inside.lookingAt()) {
                expression = bound + " " + expression;
            }
            switch (bound.toLowerCase(Locale.ROOT)) {
                case "after" -> {
                    from = to;
                    to = null;
                }
                case "since" -> to = null;
                case "before" -> {
                    to = from;
                    from = null;
                }
                default -> from = null; // until, till, by: to the end of it
            }
        }
        return Optional.of(new Range(from, to, expression));
    }

    private static Span named(Matcher m, ZonedDateTime ref) {
        String which = m.group(1).toLowerCase(Locale.ROOT);
        int shift = switch (which) {
            case "this" -> 0;
            case "next" -> 1;
            default -> -1;
        };
        ZonedDateTime today = ref.truncatedTo(ChronoUnit.DAYS);
        return switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "week" -> {
                ZonedDateTime monday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).plusWeeks(shift);
                yield new Span(monday, monday.plusWeeks(1));
            }
            case "weekend" -> {
                // "this weekend" is the one the reference is in, or the coming one
                ZonedDateTime saturday = (today.getDayOfWeek().getValue() >= DayOfWeek.SATURDAY.getValue()
                        ? today.with(TemporalAdjusters.previousOrSame(DayOfWeek.SATURDAY))
                        : today.with(TemporalAdjusters.next(DayOfWeek.SATURDAY))).plusWeeks(shift);
                yield new Span(saturday, saturday.plusDays(2));
            }
            case "month" -> month(YearMonth.from(ref).plusMonths(shift), ref);
            default -> year(ref.getYear() + shift, ref);
        };
    }

    private static Span weekday(Matcher m, ZonedDateTime ref) {
        DayOfWeek day = DayOfWeek.valueOf(m.group(2).toUpperCase(Locale.ROOT));
        ZonedDateTime today = ref.truncatedTo(ChronoUnit.DAYS);
        ZonedDateTime date = switch (m.group(1).toLowerCase(Locale.ROOT)) {
            case "next" -> today.with(TemporalAdjusters.next(day));
            case "this" -> today.with(TemporalAdjusters.nextOrSame(day));
            default -> today.with(TemporalAdjusters.previous(day)); // "last" and a bare "on": the latest past one
        };
        return day(date);
    }

    private static Span ago(Matcher m, ZonedDateTime ref) {
        int n = count(m.group(1));
        ZonedDateTime then = ref.minus(n, unit(m.group(2)));
        return switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "day" -> day(then.truncatedTo(ChronoUnit.DAYS));
            case "week" -> {
                ZonedDateTime monday = then.truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                yield new Span(monday, monday.plusWeeks(1));
            }
            case "month" -> month(YearMonth.from(then), ref);
            default -> year(then.getYear(), ref);
        };
    }

    private static int count(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        return NUMBERS.containsKey(w) ? NUMBERS.get(w) : Integer.parseInt(w);
    }

    private static ChronoUnit unit(String word) {
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "day" -> ChronoUnit.DAYS;
            case "week" -> ChronoUnit.WEEKS;
            case "month" -> ChronoUnit.MONTHS;
            default -> ChronoUnit.YEARS;
        };
    }

    private static int year(Matcher m, int group) {
        return Integer.parseInt(m.group(group));
    }

    private static Month month(String name) {
        String n = name.toLowerCase(Locale.ROOT).replace(".", "");
        for (Month month : Month.values()) {
            String full = month.getDisplayName(TextStyle.FULL, Locale.ENGLISH).toLowerCase(Locale.ROOT);
            if (full.equals(n) || full.startsWith(n) && n.length() >= 3) {
                return month;
            }
        }
        throw new java.time.DateTimeException("not a month: " + name);
    }

    private static ZonedDateTime date(ZonedDateTime ref, int year, String month, String day) {
        return LocalDate.of(year, month(month), Integer.parseInt(day)).atStartOfDay(ref.getZone());
    }

    /** The latest such day not after the reference. */
    private static ZonedDateTime latest(ZonedDateTime ref, String month, String day) {
        LocalDate date = LocalDate.of(ref.getYear(), month(month), Integer.parseInt(day));
        if (date.isAfter(ref.toLocalDate())) {
            date = LocalDate.of(ref.getYear() - 1, month(month), Integer.parseInt(day));
        }
        return date.atStartOfDay(ref.getZone());
    }

    private static YearMonth latestMonth(ZonedDateTime ref, String month) {
        YearMonth m = YearMonth.of(ref.getYear(), month(month));
        return m.isAfter(YearMonth.from(ref)) ? m.minusYears(1) : m;
    }

    private static Span day(ZonedDateTime start) {
        return new Span(start, start.plusDays(1));
    }

    private static Span month(YearMonth month, ZonedDateTime ref) {
        ZonedDateTime start = month.atDay(1).atStartOfDay(ref.getZone());
        return new Span(start, start.plusMonths(1));
    }

    private static Span year(int year, ZonedDateTime ref) {
        ZonedDateTime start = LocalDate.of(year, 1, 1).atStartOfDay(ref.getZone());
        return new Span(start, start.plusYears(1));
    }
}
