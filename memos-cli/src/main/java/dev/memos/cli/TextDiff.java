package dev.memos.cli;

import java.util.ArrayList;
import java.util.List;

/** A word-level diff of two texts (longest common subsequence), written like {@code git diff --word-diff}. */
final class TextDiff {
    private TextDiff() {
    }

    /** One run of words: kept, removed ({@code -}) or added ({@code +}). */
    record Part(char op, String text) {
    }

    static List<Part> diff(String before, String after) {
        String[] a = words(before);
        String[] b = words(after);
        int[][] lcs = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Part> parts = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            if (i < a.length && j < b.length && a[i].equals(b[j])) {
                add(parts, ' ', a[i++]);
                j++;
            } else if (i < a.length && (j == b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
                add(parts, '-', a[i++]); // removals before additions, as git shows them
            } else {
                add(parts, '+', b[j++]);
            }
        }
        return parts;
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

    private static String[] words(String text) {
        return text == null || text.isBlank() ? new String[0] : text.strip().split("\\s+");
    }
}
