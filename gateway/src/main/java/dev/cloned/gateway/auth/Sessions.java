package dev.cloned.gateway.auth;

import dev.cloned.rules.json.CanonicalJson;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens (short-lived, in memory only, looked up by their SHA-256) and single-use pairing nonces. A restart
 * invalidates every device token; the one-time bootstrap token is new at each start. Thread-safe, never blocks.
 */
public final class Sessions {
    /** Subject of the bootstrap session. */
    public static final String BOOTSTRAP = "bootstrap";
    /** Lifetime of a device token. */
    public static final Duration TOKEN_TTL = Duration.ofMinutes(15);
    /** Lifetime of a pairing nonce. */
    public static final Duration NONCE_TTL = Duration.ofMinutes(2);
    private static final int MAX_NONCES = 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;
    private final Map<String, Session> byTokenHash = new ConcurrentHashMap<>();
    private final Map<String, Instant> nonces = new ConcurrentHashMap<>();
    private final String bootstrapToken;
    private final Session bootstrapSession;

    public Sessions(Clock clock) {
        this.clock = clock;
        this.bootstrapToken = "clb_" + random(32);
        this.bootstrapSession = new Session(BOOTSTRAP, Scopes.ALL, Instant.MAX, random(24));
    }

    /** The one-time bootstrap token; shown once by {@code cloned serve}, never logged. */
    public String bootstrapToken() {
        return bootstrapToken;
    }

    /** The session of a presented bearer token (bootstrap or device), if valid and not expired. */
    public Optional<Session> lookup(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        if (constantTimeEquals(token, bootstrapToken)) {
            return Optional.of(bootstrapSession);
        }
        Session s = byTokenHash.get(hash(token));
        if (s == null || !clock.instant().isBefore(s.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(s);
    }

    /** Issues a token for an approved device; returns the token (shown once to the device) and its session. */
    public Map.Entry<String, Session> issue(Device device) {
        String token = "cld_" + random(32);
        Session s = new Session(device.id(), device.scopes(), clock.instant().plus(TOKEN_TTL), random(24));
        byTokenHash.put(hash(token), s);
        return Map.entry(token, s);
    }

    /** Drops every token of a device (revocation takes effect at once) and expired ones. */
    public void revoke(String deviceId) {
        Instant now = clock.instant();
        byTokenHash.values().removeIf(s -> s.subject().equals(deviceId) || !now.isBefore(s.expiresAt()));
    }

    /** Drops tokens whose device is no longer approved. */
    public void retainDevices(List<String> approvedIds) {
        byTokenHash.values().removeIf(s -> !approvedIds.contains(s.subject()));
    }

    /** A fresh single-use nonce. */
    public String nonce() {
        Instant now = clock.instant();
        if (nonces.size() >= MAX_NONCES) {
            nonces.values().removeIf(exp -> !now.isBefore(exp));
            if (nonces.size() >= MAX_NONCES) {
                Iterator<String> it = nonces.keySet().iterator();
                it.next();
                it.remove();
            }
        }
        String n = random(24);
        nonces.put(n, now.plus(NONCE_TTL));
        return n;
    }

    /** Consumes a nonce: true only once, and only before it expires. */
    public boolean consumeNonce(String nonce) {
        Instant exp = nonce == null ? null : nonces.remove(nonce);
        return exp != null && clock.instant().isBefore(exp);
    }

    private static String hash(String token) {
        return CanonicalJson.sha256(token.getBytes(StandardCharsets.UTF_8));
    }

    static boolean constantTimeEquals(String a, String b) {
        return a != null && b != null
            && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
