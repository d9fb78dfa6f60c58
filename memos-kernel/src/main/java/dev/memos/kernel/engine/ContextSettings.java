package dev.memos.kernel.engine;

import dev.memos.kernel.error.InvalidException;

import java.util.Objects;

/**
 * The settings of an inference context that a KV snapshot depends on: restoring a snapshot into a context
 * with other settings would read the cache with another layout, so it is refused.
 *
 * @param contextSize tokens the context holds (prefix, prompt and answer together)
 * @param kvType element type of the K and V caches, e.g. {@code f16}
 */
public record ContextSettings(int contextSize, String kvType) {
    public ContextSettings {
        if (contextSize < 16) {
            throw new InvalidException("contextSize", "must be 16 tokens or more, was " + contextSize);
        }
        Objects.requireNonNull(kvType, "kvType");
    }
}
