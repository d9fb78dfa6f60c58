package dev.memos.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the Java examples in the docs equal to code that compiles and runs: a test marks a region of its own
 * source (or a main class's) with {@code // --- <name> ---} and {@code // --- end ---}, and every Java block of
 * the given documents that starts like it must be that region, up to comments and whitespace.
 */
public final class DocSnippets {
    private static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    private DocSnippets() {
    }

    /** The project's root, from a module's directory (where Maven runs its tests) or the root itself. */
    public static Path root() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("memos-kernel")) ? here : here.getParent();
    }

    /** The code between {@code // --- name ---} and {@code // --- end ---} in {@code source}. */
    public static String region(Path source, String name) {
        String text = read(source);
        String start = "// --- " + name + " ---";
        int from = text.indexOf(start);
        int to = text.indexOf("// --- end ---", from);
        if (from < 0 || to < 0) {
            throw new IllegalStateException(source + " has no region '" + name + "'");
        }
        return text.substring(from + start.length(), to);
    }

    /** The Java blocks of {@code document} whose code starts with {@code opening} (normalised). */
    public static List<String> blocks(Path document, String opening) {
        List<String> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(read(document));
        while (m.find()) {
            if (normalise(m.group(1)).startsWith(normalise(opening))) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /**
     * Fails unless each document shows at least one Java block starting with {@code opening}, and every such block
     * is the region {@code region} of {@code code} (or, with {@code prefix}, its beginning). Paths are from the
     * project's root.
     */
    public static void assertShown(String code, String region, String opening, boolean prefix, String... documents) {
        Path root = root();
        String compiled = normalise(region(root.resolve(code), region));
        for (String document : documents) {
            List<String> shown = blocks(root.resolve(document), opening);
            if (shown.isEmpty()) {
                throw new AssertionError(document + " shows no Java block starting with '" + opening + "'");
            }
            for (String block : shown) {
                String text = normalise(block);
                if (prefix ? !compiled.startsWith(text) : !compiled.equals(text)) {
                    throw new AssertionError(document + " shows code that differs from " + code + " (region '"
                            + region + "'):\n  shown:    " + text + "\n  compiled: " + compiled);
                }
            }
        }
    }

    /** Code without comments, with all whitespace runs made one space. */
    public static String normalise(String code) {
        return code.replaceAll("//[^\\n]*", "").replaceAll("\\s+", " ").strip();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
