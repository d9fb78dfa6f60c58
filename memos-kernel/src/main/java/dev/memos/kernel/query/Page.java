package dev.memos.kernel.query;

import java.util.List;
import java.util.function.Function;

/** A page of results and the cursor of the next page (null on the last page). */
public record Page<T>(List<T> items, String nextCursor) {
    public Page {
        items = List.copyOf(items);
    }

    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(items.stream().map(mapper).toList(), nextCursor);
    }
}
