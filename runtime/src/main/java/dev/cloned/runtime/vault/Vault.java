package dev.cloned.runtime.vault;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;

import java.util.List;
import java.util.Optional;

/**
 * A secret store. Every provider (dev, file, azure) behaves the same way through this interface;
 * callers choose one with {@link Vaults#open}. Failures to reach or open the store are
 * {@link ErrorCode#VAULT_UNAVAILABLE}; nothing ever falls back to plaintext.
 */
public interface Vault extends AutoCloseable {
    /** The provider id: {@code dev}, {@code file} or {@code azure}. */
    String provider();

    /** The secret's value, or empty when no secret has that name. */
    Optional<String> get(String name);

    /** The secret's value, or {@link ErrorCode#SECRET_NOT_FOUND}. */
    default String require(String name) {
        return get(name).orElseThrow(() -> new ClonedException(ErrorCode.SECRET_NOT_FOUND,
                "no secret named '" + name + "' in the " + provider() + " vault",
                "store it with 'cloned vault set " + name + "'"));
    }

    /** Resolves a {@code vault://NAME} reference; a missing secret is {@link ErrorCode#SECRET_NOT_FOUND}. */
    default String resolve(VaultRef ref) {
        return require(ref.name());
    }

    /** Creates or replaces a secret. */
    void set(String name, String value);

    /** Deletes a secret; returns whether it existed. */
    boolean delete(String name);

    /** Names and last-update times of all secrets, sorted by name; never values. */
    List<SecretInfo> list();

    /** Whether the vault can be used now; never throws. */
    VaultStatus status();

    /** Releases clients and threads; the default does nothing. */
    @Override
    default void close() {
    }
}
