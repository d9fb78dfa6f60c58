package dev.memos.kernel.engine;

/**
 * What one engine call did and how long it took.
 *
 * @param tokensRestored tokens whose KV state came from a snapshot instead of being evaluated
 * @param tokensPrefilled prompt tokens evaluated by the model
 * @param tokensGenerated tokens sampled
 * @param restoreMillis time to restore the snapshot into the context
 * @param prefillMillis time to evaluate the prompt tokens
 * @param firstTokenMillis from the start of the call to the first sampled token (restore + prefill + one sample)
 * @param totalMillis the whole call
 */
public record Timings(int tokensRestored, int tokensPrefilled, int tokensGenerated, double restoreMillis,
                      double prefillMillis, double firstTokenMillis, double totalMillis) {
}
