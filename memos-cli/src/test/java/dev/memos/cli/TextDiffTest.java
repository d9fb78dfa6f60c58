package dev.memos.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TextDiffTest {
    private static String diff(String a, String b) {
        return TextDiff.render(TextDiff.diff(a, b));
    }

    @Test
    void wordsAreKeptRemovedOrAddedLikeGitWordDiff() {
        assertEquals("Ann lives in [-Porto-]{+Lisbon now+}", diff("Ann lives in Porto", "Ann lives in Lisbon now"));
        assertEquals("{+new text+}", diff(null, "new text"));
        assertEquals("[-old text-]", diff("old text", ""));
        assertEquals("same words", diff("same  words", "same words"));
        assertEquals("a [-b-] c {+d+}", diff("a b c", "a c d"));
        assertEquals("", diff(null, null));
    }
}
