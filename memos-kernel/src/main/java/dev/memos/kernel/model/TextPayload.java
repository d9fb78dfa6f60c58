package dev.memos.kernel.model;

import java.util.LinkedHashSet;
import java.util.List;

/**
 * A text memory.
 *
 * @param text the memory itself
 * @param kind what sort of memory (fact, event, preference, document-chunk, message …): a label
 * @param tags free labels, de-duplicated, order kept
 */
public record TextPayload(String text, String kind, List<String> tags) implements Payload {
    public static final String DEFAULT_KIND = "fact";

    public TextPayload {
        Check.text("text", text, Limits.MAX_TEXT);
        kind = Check.label("kind", kind == null ? DEFAULT_KIND : kind);
        Check.maxSize("tags", tags, Limits.MAX_TAGS);
        Check.labels("tags", tags);
        tags = tags == null ? List.of() : List.copyOf(new LinkedHashSet<>(tags));
    }
}
