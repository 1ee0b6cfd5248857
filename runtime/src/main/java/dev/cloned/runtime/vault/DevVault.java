package dev.cloned.runtime.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.error.ClonedException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.TreeMap;

/**
 * The development vault: secrets in plain JSON ({@code .cloned/vault.dev.json}), persisted across commands.
 * It warns on every use, through its {@link VaultListener}, that it is for development only.
 */
public final class DevVault extends FileBackedVault {
    /** The warning given on every use. */
    public static final String WARNING = "the dev vault stores secrets UNENCRYPTED in %s; use it for development "
            + "only and switch with 'cloned vault provider file' or 'cloned vault provider azure'";
    /** Default file name inside {@code .cloned/}. */
    public static final String DEFAULT_FILE = "vault.dev.json";

    public DevVault(Path file, VaultListener listener, Clock clock) {
        super(file, listener, clock);
    }

    @Override
    public String provider() {
        return "dev";
    }

    @Override
    void beforeUse() {
        listener.warning(String.format(WARNING, file));
    }

    @Override
    TreeMap<String, Entry> decode(byte[] bytes) {
        try {
            JsonNode root = JSON.readTree(bytes);
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            return secretsFromJson(root.get("secrets"));
        } catch (IOException | RuntimeException e) {
            throw unavailable("dev vault file " + file + " is not valid: " + e.getMessage(),
                    "fix or remove the file (it holds plain JSON: {\"secrets\": {...}})", e);
        }
    }

    @Override
    byte[] encode(TreeMap<String, Entry> secrets) {
        ObjectNode root = JSON.createObjectNode();
        root.put("_warning", "DEVELOPMENT ONLY: secrets in this file are not encrypted");
        root.set("secrets", secretsToJson(secrets));
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public VaultStatus status() {
        try {
            int count = read().size();
            String state = Files.exists(file) ? count + " secret(s)" : "empty (file is created on first set)";
            return new VaultStatus(provider(), file.toString(), true, true,
                    "development only, NOT encrypted; " + state, null);
        } catch (ClonedException e) {
            return new VaultStatus(provider(), file.toString(), false, true, e.getMessage(), e.code());
        }
    }
}
