package dev.memos.kernel.search;

import java.time.Instant;
import java.util.Set;

/**
 * What the kernel asks a search index: candidates in these spaces that pass the filters, best
 * first, up to {@code candidates} per list. {@code vector} is null when the mode uses no vectors.
 */
public record IndexQuery(Set<String> spaces, String text, float[] vector, SearchMode mode, SearchFilters filters,
                         Instant validAt, int candidates) {
    public IndexQuery {
        spaces = Set.copyOf(spaces);
    }
}
