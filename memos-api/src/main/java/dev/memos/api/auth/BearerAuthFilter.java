package dev.memos.api.auth;

import dev.memos.kernel.error.UnauthenticatedException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every REST call by its {@code Authorization: Bearer <key>} header. Health, metrics
 * and the OpenAPI document are served outside the REST layer and need no key.
 */
public class BearerAuthFilter {
    private static final String SCHEME = "bearer ";

    private final Authenticator authenticator;
    private final Caller caller;

    public BearerAuthFilter(Authenticator authenticator, Caller caller) {
        this.authenticator = authenticator;
        this.caller = caller;
    }

    @ServerRequestFilter
    public void authenticate(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            throw new UnauthenticatedException("an API key is required: send 'Authorization: Bearer <key>'");
        }
        if (header.length() <= SCHEME.length() || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw new UnauthenticatedException("the Authorization header must use the Bearer scheme");
        }
        caller.set(authenticator.authenticate(header.substring(SCHEME.length())));
    }
}
