package dev.cloned.gateway.auth;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A paired (or pairing) device: its Ed25519 public key, the scopes it asked for and where its request stands.
 *
 * @param publicKey base64 of the X.509 SubjectPublicKeyInfo encoding of the device's Ed25519 key
 * @param status {@code pending}, {@code approved} or {@code revoked}
 */
public record Device(String id, String name, String publicKey, List<String> scopes, String status, Instant createdAt,
                     Instant decidedAt) {
    public Device {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        scopes = List.copyOf(scopes);
    }

    /** Whether this device may get tokens. */
    public boolean approved() {
        return "approved".equals(status);
    }

    /** The same device with another status, decided at {@code at}. */
    public Device withStatus(String newStatus, Instant at) {
        return new Device(id, name, publicKey, scopes, newStatus, createdAt, at);
    }

    /** A short, stable fingerprint of the key (first 16 hex digits of its SHA-256) for humans to compare. */
    public String fingerprint() {
        return Ed25519Keys.fingerprint(publicKey);
    }
}
