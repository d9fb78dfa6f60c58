package dev.memos.scheduler.policy;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NearDuplicatesTest {
    @Test
    void content_words_ignore_case_punctuation_filler_and_plurals() {
        assertEquals(Set.of("alice", "prefer", "green", "tea"), NearDuplicates.words("Alice prefers green tea!"));
        assertEquals(NearDuplicates.words("alice prefers green teas"), NearDuplicates.words("Alice really prefers the green tea."));
        assertTrue(NearDuplicates.words("The meeting is at 10am").contains("10am"));
        assertFalse(NearDuplicates.words("Bob lives in Berlin").containsAll(NearDuplicates.words("Bob lives in Paris")));
        assertEquals(Set.of("glass", "café", "2024"), NearDuplicates.words("glass, café — 2024"));
    }
}
