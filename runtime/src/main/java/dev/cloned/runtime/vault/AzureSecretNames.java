package dev.cloned.runtime.vault;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Maps Cloned secret names onto Key Vault's charset ({@code [0-9a-zA-Z-]}, case-insensitive). A name that
 * is already lower-case letters, digits and dashes is used as is; any other name becomes a readable slug
 * plus a short hash of the original, so two names never collide. The original name is also kept in the
 * secret's {@value #TAG} tag, which listing reads back.
 */
final class AzureSecretNames {
    /** Tag carrying the original Cloned name. */
    static final String TAG = "cloned-name";

    private AzureSecretNames() {
    }

    static String toAzure(String name) {
        VaultRef.requireValidName(name);
        if (name.matches("[a-z0-9-]+")) {
            return name;
        }
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "-");
        return slug + "-" + shortHash(name);
    }

    private static String shortHash(String name) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
