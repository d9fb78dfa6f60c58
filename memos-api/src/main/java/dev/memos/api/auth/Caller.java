package dev.memos.api.auth;

import dev.memos.kernel.access.Principal;
import dev.memos.kernel.error.UnauthenticatedException;
import jakarta.enterprise.context.RequestScoped;

/** The principal behind the current request, set by {@link BearerAuthFilter}. */
@RequestScoped
public class Caller {
    private Principal principal;

    void set(Principal principal) {
        this.principal = principal;
    }

    public Principal principal() {
        if (principal == null) {
            throw new UnauthenticatedException("an API key is required: send 'Authorization: Bearer <key>'");
        }
        return principal;
    }
}
