package dev.memos.cli;

import com.github.difflib.DiffUtils;
import com.github.difflib.algorithm.myers.MeyersDiffWithLinearSpace;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.Chunk;

import java.util.ArrayList;
import java.util.List;

/**
 * A word-level diff of two texts, written like {@code git diff --word-diff}. Myers' algorithm in linear space
 * (java-diff-utils): memory grows with the number of words, not with its square as a table of common
 * subsequences does (two texts of 10,000 words each took ~400 MB that way).
 */
final class TextDiff {
    private TextDiff() {
    }

    /** One run of words: kept, removed ({@code -}) or added ({@code +}). */
    record Part(char op, String text) {
    }

    static List<Part> diff(String before, String after) {
        List<String> a = words(before);
        List<String> b = words(after);
        List<Part> parts = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> added = new ArrayList<>();
        int kept = 0;
        for (AbstractDelta<String> delta : DiffUtils.diff(a, b, new MeyersDiffWithLinearSpace<String>()).getDeltas()) {
            Chunk<String> source = delta.getSource();
            if (kept < source.getPosition()) {
                flush(parts, removed, added);
                for (; kept < source.getPosition(); kept++) {
                    add(parts, ' ', a.get(kept));
                }
            }
            removed.addAll(source.getLines());
            added.addAll(delta.getTarget().getLines());
            kept = source.getPosition() + source.size();
        }
        flush(parts, removed, added);
        for (; kept < a.size(); kept++) {
            add(parts, ' ', a.get(kept));
        }
        return parts;
    }

    /** Removals before additions, as git shows them, however the diff ordered its changes at one place. */
    private static void flush(List<Part> parts, List<String> removed, List<String> added) {
        removed.forEach(word -> add(parts, '-', word));
        added.forEach(word -> add(parts, '+', word));
        removed.clear();
        added.clear();
    }

    /** {@code kept [-removed-]{+added+}}. */
    static String render(List<Part> parts) {
        StringBuilder out = new StringBuilder();
        char previous = 0;
        for (Part p : parts) {
            if (!out.isEmpty() && !(previous == '-' && p.op() == '+')) {
                out.append(' ');
            }
            previous = p.op();
            out.append(switch (p.op()) {
                case '-' -> "[-" + p.text() + "-]";
                case '+' -> "{+" + p.text() + "+}";
                default -> p.text();
            });
        }
        return out.toString();
    }

    private static void add(List<Part> parts, char op, String word) {
        if (!parts.isEmpty() && parts.getLast().op() == op) {
            Part last = parts.removeLast();
            parts.add(new Part(op, last.text() + " " + word));
        } else {
            parts.add(new Part(op, word));
        }
    }

    private static List<String> words(String text) {
        return text == null || text.isBlank() ? List.of() : List.of(text.strip().split("\\s+"));
    }
}
