package dev.memos.kernel.spi;

import java.util.function.Supplier;

/** Runs kernel work atomically: all of its store calls commit together or none does. */
public interface Transactions {

    /**
     * Runs {@code work} in a new transaction and commits it. A runtime exception from the work rolls
     * everything back and is rethrown as it is.
     */
    <T> T inTransaction(Supplier<T> work);
}
