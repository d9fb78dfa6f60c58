package dev.memos.kernel.spi;

import java.time.Duration;
import java.util.Collection;

/** How far derived indexes have caught up with committed changes. */
public interface IndexProgress {
    IndexProgress ALWAYS_CURRENT = (spaces, timeout) -> true;

    /**
     * Waits until every change committed to these spaces before the call is visible to searches.
     *
     * @return false if that did not happen within {@code timeout}
     */
    boolean awaitIndexed(Collection<String> spaces, Duration timeout);
}
