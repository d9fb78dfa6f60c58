package dev.memos.scheduler;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waiting: for progress another thread makes, by polling (read-your-writes waits this way), and before
 * retrying work that failed (the relay and the bus and ingest consumers back off this way).
 */
public final class Await {
    private static final long POLL_MILLIS = 5;

    private Await() {
    }

    /** Polls {@code done} until it holds (true) or {@code timeout} passes or the thread is interrupted (false). */
    public static boolean until(BooleanSupplier done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * The pause before the next retry: about 100 ms after the first failure, doubling up to 5 s, less a random
     * quarter (jitter: the consumers of several nodes that failed together do not all retry at the same moment).
     */
    public static long nextBackoffMillis(long previous) {
        long next = Math.min(5_000, Math.max(100, previous * 2));
        return next - java.util.concurrent.ThreadLocalRandom.current().nextLong(next / 4 + 1);
    }
}
