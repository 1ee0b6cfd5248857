package dev.cloned.runtime.vault;

/**
 * Callbacks from a vault: warnings for the user (the dev vault warns on every use) and the secret values it
 * handles, so the redactor can learn them. Implementations must never log the value they receive.
 */
public interface VaultListener {
    /** A listener that ignores everything. */
    VaultListener NONE = new VaultListener() {
    };

    /** A warning to show the user, e.g. that the dev vault is for development only. */
    default void warning(String message) {
    }

    /** A secret value was read from or written to the vault. */
    default void secretUsed(String name, String value) {
    }
}
