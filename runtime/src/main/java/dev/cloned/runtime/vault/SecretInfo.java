package dev.cloned.runtime.vault;

import java.time.Instant;
import java.util.Objects;

/**
 * What a vault tells about a secret without revealing it: its name and when it was last updated
 * ({@code null} when the provider does not know).
 */
public record SecretInfo(String name, Instant updatedAt) {
    public SecretInfo {
        Objects.requireNonNull(name, "name");
    }
}
