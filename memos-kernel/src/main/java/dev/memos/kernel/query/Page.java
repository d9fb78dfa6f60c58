package dev.memos.kernel.query;

import java.util.List;
import java.util.function.Function;

/** A page of results and the cursor of the next page (null on the last page). */
public record Page<T>(List<T> items, String nextCursor) {
    public Page {
        items = List.copyOf(items);
    }

    /**
     * A page from a lookahead fetch: callers ask the store for {@code limit + 1} rows; when the extra
     * row came back there is a next page, whose cursor is the last kept row's.
     */
    public static <T> Page<T> fromLookahead(List<T> fetched, int limit, Function<T, String> cursorOf) {
        boolean more = fetched.size() > limit;
        List<T> page = more ? fetched.subList(0, limit) : fetched;
        return new Page<>(page, more ? cursorOf.apply(page.getLast()) : null);
    }

    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(items.stream().map(mapper).toList(), nextCursor);
    }
}
