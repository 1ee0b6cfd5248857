package dev.cloned.gateway.auth;

import java.time.Instant;
import java.util.List;

/**
 * An authenticated session: who (a device id, or {@code bootstrap}), what it may do, until when, and the CSRF token
 * bound to it. The bearer token itself is held only by the client and, hashed, by {@link Sessions}.
 */
public record Session(String subject, List<String> scopes, Instant expiresAt, String csrfToken) {
    public Session {
        scopes = List.copyOf(scopes);
    }

    /** Whether the session holds a scope ({@code admin} holds every scope). */
    public boolean has(String scope) {
        return scopes.contains(scope) || scopes.contains(Scopes.ADMIN);
    }

    /** Whether this is the bootstrap session. */
    public boolean bootstrap() {
        return Sessions.BOOTSTRAP.equals(subject);
    }
}
