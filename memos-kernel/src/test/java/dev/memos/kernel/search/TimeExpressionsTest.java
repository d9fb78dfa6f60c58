package dev.memos.kernel.search;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimeExpressionsTest {
    /** A Wednesday afternoon. */
    private static final ZonedDateTime REF = ZonedDateTime.parse("2023-05-10T15:30:00Z");

    private static TimeExpressions.Range find(String text) {
        return TimeExpressions.find(text, REF).orElseThrow(() -> new AssertionError("nothing found in: " + text));
    }

    private static Instant t(String iso) {
        return iso.equals("-") ? null : Instant.parse(iso.length() == 10 ? iso + "T00:00:00Z" : iso);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // absolute
            "What painting did she show on October 13, 2023?  | 2023-10-13 | 2023-10-14 | October 13, 2023",
            "What did Gina find on 1 February, 2023?           | 2023-02-01 | 2023-02-02 | 1 February, 2023",
            "the 3rd of June 2022                              | 2022-06-03 | 2022-06-04 | 3rd of June 2022",
            "logged on 2023-04-02                              | 2023-04-02 | 2023-04-03 | 2023-04-02",
            "What did Maria start in December 2023?            | 2023-12-01 | 2024-01-01 | December 2023",
            "Sept. 2021 trip                                   | 2021-09-01 | 2021-10-01 | Sept. 2021",
            "How many times did she go to the beach in 2023?   | 2023-01-01 | 2024-01-01 | in 2023",
            // a month or day without a year: the latest one not after the reference
            "When did Melanie go camping in June?              | 2022-06-01 | 2022-07-01 | in June",
            "What happened in May?                             | 2023-05-01 | 2023-06-01 | in May",
            "the party on May 3                                | 2023-05-03 | 2023-05-04 | May 3",
            "the party on December 24th                        | 2022-12-24 | 2022-12-25 | December 24th",
            // relative to the reference
            "what did I eat yesterday                          | 2023-05-09 | 2023-05-10 | yesterday",
            "the day before yesterday                          | 2023-05-08 | 2023-05-09 | the day before yesterday",
            "What is planned today?                            | 2023-05-10 | 2023-05-11 | today",
            "What did John do last week?                       | 2023-05-01 | 2023-05-08 | last week",
            "this week                                         | 2023-05-08 | 2023-05-15 | this week",
            "What event did John volunteer at last weekend?    | 2023-05-06 | 2023-05-08 | last weekend",
            "plans for this weekend                            | 2023-05-13 | 2023-05-15 | this weekend",
            "last month                                        | 2023-04-01 | 2023-05-01 | last month",
            "Where did John explore on a road trip last year?  | 2022-01-01 | 2023-01-01 | last year",
            "next month                                        | 2023-06-01 | 2023-07-01 | next month",
            "last Friday                                       | 2023-05-05 | 2023-05-06 | last Friday",
            "on Monday                                         | 2023-05-08 | 2023-05-09 | on Monday",
            "Where did Caroline move from 4 years ago?         | 2019-01-01 | 2020-01-01 | 4 years ago",
            "two weeks ago                                     | 2023-04-24 | 2023-05-01 | two weeks ago",
            "three days ago                                    | 2023-05-07 | 2023-05-08 | three days ago",
            "a month ago                                       | 2023-04-01 | 2023-05-01 | a month ago",
            "in the past 3 days                                | 2023-05-07T15:30:00Z | 2023-05-10T15:30:00Z | in the past 3 days",
            "What has she been doing recently?                 | 2023-04-10T15:30:00Z | 2023-05-10T15:30:00Z | recently",
            // open ranges
            "since March                                       | 2023-03-01 | -          | since March",
            "What did he do before May 3, 2023?                | -          | 2023-05-03 | before May 3, 2023",
            "after 2020                                        | 2021-01-01 | -          | after 2020",
            "until June 2022                                   | -          | 2022-07-01 | until June 2022",
    })
    void expressions_resolve_against_the_reference(String text, String from, String to, String expression) {
        TimeExpressions.Range range = find(text);
        assertEquals(expression, range.expression());
        assertEquals(t(from), range.from(), "from");
        assertEquals(t(to), range.to(), "to");
    }

    @ParameterizedTest
    @ValueSource(strings = {"What pet does Caroline have?", "This may help with the pain", "May I ask about her dog?",
            "How long ago was Caroline's 18th birthday?", "She ran 5 km in 23 minutes", "February 31, 2023", ""})
    void no_time_is_found_where_none_is_said(String text) {
        assertEquals(Optional.empty(), TimeExpressions.find(text, REF));
    }

    @Test
    void days_follow_the_reference_zone() {
        ZonedDateTime tokyo = ZonedDateTime.of(2023, 5, 10, 8, 0, 0, 0, ZoneId.of("Asia/Tokyo"));
        TimeExpressions.Range range = TimeExpressions.find("yesterday", tokyo).orElseThrow();
        assertEquals(Instant.parse("2023-05-08T15:00:00Z"), range.from());
        assertEquals(Instant.parse("2023-05-09T15:00:00Z"), range.to());
    }

    @Test
    void a_range_contains_its_start_and_not_its_end() {
        TimeExpressions.Range may = find("in May");
        assertTrue(may.contains(Instant.parse("2023-05-01T00:00:00Z")));
        assertTrue(may.contains(Instant.parse("2023-05-31T23:59:59Z")));
        assertTrue(!may.contains(Instant.parse("2023-06-01T00:00:00Z")));
        TimeExpressions.Range since = find("since March");
        assertNull(since.to());
        assertTrue(since.contains(Instant.parse("2030-01-01T00:00:00Z")));
    }
}
