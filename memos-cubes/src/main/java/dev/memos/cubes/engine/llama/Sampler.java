package dev.memos.cubes.engine.llama;

import dev.memos.kernel.engine.Sampling;

import java.util.SplittableRandom;

/** Picks the next token from logits: greedy at temperature 0, else temperature and nucleus (top-p) sampling. */
final class Sampler {
    private final Sampling sampling;
    private final SplittableRandom random;

    Sampler(Sampling sampling) {
        this.sampling = sampling;
        this.random = new SplittableRandom(sampling.seed());
    }

    /** The chosen token id, or -1 when every token is excluded (negative infinity). */
    int pick(float[] logits) {
        if (sampling.temperature() == 0) {
            return argmax(logits);
        }
        int best = argmax(logits);
        if (best < 0) {
            return -1;
        }
        double max = logits[best];
        int n = 0;
        int[] ids = new int[logits.length];
        double[] weights = new double[logits.length];
        double total = 0;
        for (int i = 0; i < logits.length; i++) {
            if (logits[i] != Float.NEGATIVE_INFINITY) {
                double w = Math.exp((logits[i] - max) / sampling.temperature());
                ids[n] = i;
                weights[n++] = w;
                total += w;
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(weights[b], weights[a]));
        double kept = 0;
        int keep = 0;
        while (keep < n && (keep == 0 || kept / total < sampling.topP())) {
            kept += weights[order[keep++]];
        }
        double r = random.nextDouble() * kept;
        for (int i = 0; i < keep; i++) {
            r -= weights[order[i]];
            if (r <= 0) {
                return ids[order[i]];
            }
        }
        return ids[order[keep - 1]];
    }

    static int argmax(float[] logits) {
        int best = -1;
        for (int i = 0; i < logits.length; i++) {
            if (logits[i] != Float.NEGATIVE_INFINITY && (best < 0 || logits[i] > logits[best])) {
                best = i;
            }
        }
        return best;
    }
}
