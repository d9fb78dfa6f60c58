package dev.memos.testkit.bench;

import java.util.Arrays;

/** Latency percentiles for the benchmarks. */
public final class Percentiles {
    private Percentiles() {
    }

    /** "p50 / p95 / p99 ms" of durations in nanoseconds. */
    public static String of(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format("%6.2f / %6.2f / %6.2f ms", at(sorted, 0.50), at(sorted, 0.95), at(sorted, 0.99));
    }

    /** The q-quantile of durations in nanoseconds, in milliseconds; NaN without durations. */
    static double quantile(long[] nanos, double q) {
        if (nanos.length == 0) {
            return Double.NaN;
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return at(sorted, q);
    }

    private static double at(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.round(q * (sorted.length - 1)))] / 1e6;
    }
}
