package dev.cloned.gateway.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Consecutive authentication failures per client. The {@value #LIMIT}th failure in a row locks the client out for
 * {@link #LOCKOUT}; a success clears the count. Thread-safe, never blocks.
 */
public final class AuthFailures {
    /** The failure that triggers the lockout (answered 429 instead of 401). */
    public static final int LIMIT = 10;
    /** How long a locked-out client waits. */
    public static final Duration LOCKOUT = Duration.ofSeconds(60);
    private static final int MAX_CLIENTS = 10_000;

    private final Clock clock;
    private final Map<String, State> clients = new ConcurrentHashMap<>();

    private record State(int failures, Instant lockedUntil) {
    }

    public AuthFailures(Clock clock) {
        this.clock = clock;
    }

    /** Seconds the client must still wait, when it is locked out. */
    public Optional<Long> retryAfter(String client) {
        State s = clients.get(client);
        if (s == null || s.lockedUntil() == null) {
            return Optional.empty();
        }
        long secs = Duration.between(clock.instant(), s.lockedUntil()).toSeconds();
        if (secs <= 0 && !clock.instant().isBefore(s.lockedUntil())) {
            clients.remove(client);
            return Optional.empty();
        }
        return Optional.of(Math.max(1, secs));
    }

    /** Records a failure; returns the seconds to wait when this failure locks the client out. */
    public Optional<Long> fail(String client) {
        if (clients.size() >= MAX_CLIENTS) {
            clients.entrySet().removeIf(e -> e.getValue().lockedUntil() == null);
        }
        State s = clients.merge(client, new State(1, null), (old, one) -> {
            int n = old.failures() + 1;
            return new State(n, n >= LIMIT ? clock.instant().plus(LOCKOUT) : null);
        });
        return s.lockedUntil() == null ? Optional.empty() : Optional.of(LOCKOUT.toSeconds());
    }

    /** Clears the client's count after a success. */
    public void succeed(String client) {
        clients.remove(client);
    }
}
