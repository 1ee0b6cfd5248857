package dev.cloned.runtime.connectors;

import java.security.PublicKey;
import java.time.Instant;
import java.util.Objects;

/** A trust root from {@code .cloned/trust/publishers/<publisher_id>.json}: who signs, with which Ed25519 key. */
public record TrustedPublisher(String publisherId, String name, PublicKey publicKey, String fingerprint, Instant verifiedAt) {
    public TrustedPublisher {
        Objects.requireNonNull(publisherId, "publisherId");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }
}
