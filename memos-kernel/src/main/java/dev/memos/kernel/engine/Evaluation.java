package dev.memos.kernel.engine;

/**
 * The model's next-token logits after a prompt, and what it took to get them.
 *
 * @param logits one score per vocabulary token
 * @param timings tokens restored versus evaluated
 */
public record Evaluation(float[] logits, Timings timings) {
}
