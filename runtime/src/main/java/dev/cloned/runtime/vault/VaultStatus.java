package dev.cloned.runtime.vault;

import dev.cloned.error.ErrorCode;

import java.util.Objects;

/**
 * Health of a vault: which provider, where it lives (file path or vault URL, never a credential),
 * whether it can be used right now, and a human explanation (with a fix when it cannot).
 *
 * @param errorCode {@code null} when reachable, otherwise why not (usually {@link ErrorCode#VAULT_UNAVAILABLE})
 */
public record VaultStatus(String provider, String location, boolean reachable, boolean developmentOnly,
                          String message, ErrorCode errorCode) {
    public VaultStatus {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(message, "message");
        if (reachable != (errorCode == null)) {
            throw new IllegalArgumentException("errorCode must be set exactly when the vault is unreachable");
        }
    }
}
