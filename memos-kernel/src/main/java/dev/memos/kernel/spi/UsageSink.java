package dev.memos.kernel.spi;

import dev.memos.kernel.model.CubeId;

import java.time.Instant;
import java.util.Collection;

/**
 * Receives accesses (reads, retrieval hits) and applies them to usage statistics later, in
 * batches. {@link #accessed} must not block: it runs on the read's critical path.
 */
public interface UsageSink {
    UsageSink NONE = (ids, at) -> { };

    void accessed(Collection<CubeId> ids, Instant at);
}
