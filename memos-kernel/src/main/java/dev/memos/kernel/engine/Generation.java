package dev.memos.kernel.engine;

import java.util.Objects;

/**
 * The outcome of a generation.
 *
 * @param text the generated text, stop string excluded
 * @param finish why it ended
 * @param timings what was restored, prefilled and generated, and how long it took
 */
public record Generation(String text, Finish finish, Timings timings) {
    public Generation {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(finish, "finish");
        Objects.requireNonNull(timings, "timings");
    }

    /** Why a generation ended; the wire names follow OpenAI's {@code finish_reason}. */
    public enum Finish {
        /** The model produced an end-of-generation token or a stop string. */
        STOP,
        /** {@link Sampling#maxTokens()} or the context was reached. */
        LENGTH
    }
}
