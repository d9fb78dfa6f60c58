package dev.memos.api.wire;

import dev.memos.kernel.access.Grant;
import dev.memos.kernel.access.Principal;
import dev.memos.kernel.access.Role;
import dev.memos.kernel.access.SpaceView;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** The non-cube resources on the wire, and their request bodies. */
public final class Views {
    private Views() {
    }

    public record PrincipalView(String id, String name, Principal.Kind kind, boolean admin, Instant createdAt) {
        public static PrincipalView of(Principal p) {
            return new PrincipalView(p.id(), p.name(), p.kind(), p.admin(), p.createdAt());
        }
    }

    /** The answer to creating a principal: the only time its API key is shown. */
    public record IssuedPrincipal(String id, String name, Principal.Kind kind, boolean admin, Instant createdAt,
                                  String apiKey) {
    }

    public record CreatePrincipal(String name, Principal.Kind kind, Boolean admin) {
    }

    public record SpaceResponse(String name, String description, String createdBy, Instant createdAt, Role role) {
        public static SpaceResponse of(SpaceView v) {
            return new SpaceResponse(v.space().name(), v.space().description(), v.space().createdBy(),
                    v.space().createdAt(), v.role());
        }
    }

    public record CreateSpace(String name, String description) {
    }

    public record GrantView(String space, String principal, Role role, Instant grantedAt, Set<String> clearances,
                            Set<String> purposes) {
        public static GrantView of(Grant g) {
            return new GrantView(g.space(), g.principalId(), g.role(), g.grantedAt(), g.clearances(), g.purposes());
        }
    }

    /**
     * @param clearances the sensitivity labels the grant may read ({@code *}: all); absent: all for admin, none
     *                   for read and write
     * @param purposes   the purposes the grant is bound to; absent or empty: not bound
     */
    public record PutGrant(String role, Set<String> clearances, Set<String> purposes) {
    }

    /** A list, with the cursor of the next page when there is one. */
    public record Items<T>(List<T> items, String nextCursor) {
    }
}
