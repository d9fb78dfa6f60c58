package dev.memos.kernel.engine;

import dev.memos.kernel.error.InvalidException;

import java.util.List;

/**
 * How tokens are chosen. Greedy (temperature 0) by default, so the same prompt gives the same answer.
 *
 * @param temperature 0 picks the most likely token; higher flattens the distribution
 * @param topP nucleus sampling: keep the most likely tokens whose probabilities add up to this
 * @param seed the random seed for temperature sampling
 * @param maxTokens the most tokens to generate
 * @param stop strings that end the generation (not included in the answer)
 */
public record Sampling(double temperature, double topP, long seed, int maxTokens, List<String> stop) {
    public static final int MAX_TOKENS = 4096;
    public static final Sampling GREEDY = new Sampling(0, 1, 0, 256, List.of());

    public Sampling {
        if (!(temperature >= 0 && temperature <= 5)) {
            throw new InvalidException("temperature", "must be between 0 and 5, was " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new InvalidException("topP", "must be above 0 and at most 1, was " + topP);
        }
        if (maxTokens < 1 || maxTokens > MAX_TOKENS) {
            throw new InvalidException("maxTokens", "must be 1 … " + MAX_TOKENS + ", was " + maxTokens);
        }
        stop = stop == null ? List.of() : List.copyOf(stop);
        if (stop.size() > 8 || stop.stream().anyMatch(s -> s == null || s.isEmpty() || s.length() > 64)) {
            throw new InvalidException("stop", "at most 8 non-empty stop strings of at most 64 characters");
        }
    }
}
