package dev.memos.client.model;

import java.time.Instant;
import java.util.Set;

/** Spaces, grants and principals. */
public final class Spaces {
    private Spaces() {
    }

    /** @param role the caller's role in it: READ, WRITE or ADMIN */
    public record Space(String name, String description, String createdBy, Instant createdAt, String role) {
    }

    public record NewSpace(String name, String description) {
    }

    public record Grant(String space, String principal, String role, Instant grantedAt, Set<String> clearances,
                        Set<String> purposes) {
    }

    /**
     * @param role        read, write or admin
     * @param clearances  sensitivity labels the grant may read ({@code *} for all); null keeps the defaults
     * @param purposes    the purposes the grant is bound to; null or empty: not bound
     */
    public record GrantRequest(String role, Set<String> clearances, Set<String> purposes) {
        public static GrantRequest of(String role) {
            return new GrantRequest(role, null, null);
        }
    }

    /** @param kind user, agent or service */
    public record Principal(String id, String name, String kind, boolean admin, Instant createdAt) {
    }

    /** A new principal with its API key, which the service shows only this once. */
    public record IssuedPrincipal(String id, String name, String kind, boolean admin, Instant createdAt,
                                  String apiKey) {
    }

    public record NewPrincipal(String name, String kind, Boolean admin) {
    }
}
