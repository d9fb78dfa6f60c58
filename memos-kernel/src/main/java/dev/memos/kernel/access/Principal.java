package dev.memos.kernel.access;

import dev.memos.kernel.model.Check;
import dev.memos.kernel.model.Limits;

import java.time.Instant;
import java.util.Objects;

/**
 * A user or agent that acts on memos through an API key.
 *
 * @param admin a service administrator: may create principals; holds no implicit grant on any space
 */
public record Principal(String id, String name, Kind kind, boolean admin, Instant createdAt) {
    public enum Kind { USER, AGENT, SERVICE }

    public Principal {
        Objects.requireNonNull(id, "id");
        Check.text("name", name, Limits.MAX_NAME);
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
