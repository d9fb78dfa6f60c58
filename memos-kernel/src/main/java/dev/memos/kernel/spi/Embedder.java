package dev.memos.kernel.spi;

import java.util.List;

/**
 * Turns text into vectors for retrieval. A failure that may pass (the model server is down, busy or slow) is an
 * {@link dev.memos.kernel.error.UnavailableException}; a refusal of the input itself, which sending it again will
 * not change, is {@link Rejected}.
 */
public interface Embedder {
    /** The model name, recorded with every index built from it. */
    String model();

    int dimension();

    /** One L2-normalised vector per passage, in order. */
    List<float[]> embedPassages(List<String> passages);

    float[] embedQuery(String query);

    /**
     * The embedding back end refused the input (an HTTP 4xx other than 408 and 429, for example a text over the
     * model's limit): retrying the same input cannot succeed. The message says why, without the input.
     */
    final class Rejected extends RuntimeException {
        public Rejected(String message) {
            super(message, null, false, false);
        }
    }
}
