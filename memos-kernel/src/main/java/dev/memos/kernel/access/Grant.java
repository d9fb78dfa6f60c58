package dev.memos.kernel.access;

import java.time.Instant;
import java.util.Objects;

/** A principal's role on a space. */
public record Grant(String space, String principalId, Role role, Instant grantedAt) {
    public Grant {
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(principalId, "principalId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(grantedAt, "grantedAt");
    }
}
