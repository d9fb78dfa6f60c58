package dev.memos.cli;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.StringJoiner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextDiffTest {
    private static String diff(String a, String b) {
        return TextDiff.render(TextDiff.diff(a, b));
    }

    @Test
    void words_are_kept_removed_or_added_like_git_word_diff() {
        assertEquals("Ann lives in [-Porto-]{+Lisbon now+}", diff("Ann lives in Porto", "Ann lives in Lisbon now"));
        assertEquals("{+new text+}", diff(null, "new text"));
        assertEquals("[-old text-]", diff("old text", ""));
        assertEquals("same words", diff("same  words", "same words"));
        assertEquals("a [-b-] c {+d+}", diff("a b c", "a c d"));
        assertEquals("", diff(null, null));
    }

    /** A table of common subsequences needs (10,001)² ints here, ~400 MB; the diff must stay far below. */
    @Test
    void two_long_texts_are_diffed_in_memory_that_grows_with_their_length() {
        StringJoiner before = new StringJoiner(" ");
        StringJoiner after = new StringJoiner(" ");
        for (int i = 0; i < 10_000; i++) {
            before.add("w" + i);
            after.add(i % 100 == 0 ? "changed" + i : "w" + i);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocated = threads.getCurrentThreadAllocatedBytes();
        String rendered = diff(before.toString(), after.toString());
        allocated = threads.getCurrentThreadAllocatedBytes() - allocated;

        assertTrue(rendered.startsWith("[-w0-]{+changed0+} w1 w2"), rendered.substring(0, 40));
        assertEquals(100, rendered.split("\\{\\+changed").length - 1);
        assertTrue(allocated < 50L << 20, "allocated " + (allocated >> 20) + " MiB");
    }
}
