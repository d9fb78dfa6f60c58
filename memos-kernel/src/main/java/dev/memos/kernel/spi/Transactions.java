package dev.memos.kernel.spi;

import dev.memos.kernel.error.LostRaceException;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/** Runs kernel work atomically: all of its store calls commit together or none does. */
public interface Transactions {

    /**
     * Runs {@code work} in a new transaction and commits it. A runtime exception from the work rolls
     * everything back and is rethrown as it is.
     */
    <T> T inTransaction(Supplier<T> work);

    /**
     * Runs {@code work} as {@link #inTransaction} does, and again when its transaction lost a race with a concurrent
     * one ({@link LostRaceException}: the database chose it as a deadlock's victim, or a lock was not had in time),
     * after a short random pause, up to {@code attempts} runs in all: for work whose caller should not have to
     * repeat it, such as an erasure racing the usage recorder. Call it outside any transaction, with work that
     * starts afresh on each run (it keeps nothing across runs but what it returns).
     */
    default <T> T inTransactionRetrying(int attempts, Supplier<T> work) {
        for (int run = 1; ; run++) {
            try {
                return inTransaction(work);
            } catch (LostRaceException e) {
                if (run >= attempts) {
                    throw e;
                }
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(10, 50) * run);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
