package dev.cloned.runtime.vault;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The vault section of {@code .cloned/config.yaml}: which provider and its settings. Switching provider is a
 * change of this value only. In YAML it reads {@code vault: {provider: file, file: {key_file: ...}}}; see
 * {@link #fromMap} and {@link #toMap}. Settings never hold secret values, only paths, URLs and names of
 * environment variables.
 */
public record VaultConfig(Provider provider, Map<String, String> settings) {

    /** Setting: vault file, relative to {@code .cloned/} unless absolute (dev and file providers). */
    public static final String PATH = "path";
    /** Setting: key file holding 32 random bytes (raw or base64), permissions 0600 (file provider). */
    public static final String KEY_FILE = "key_file";
    /** Setting: name of the environment variable holding the passphrase (file provider). */
    public static final String PASSPHRASE_ENV = "passphrase_env";
    /** Setting: PBKDF2 iterations for new vault files (file provider). */
    public static final String KDF_ITERATIONS = "kdf_iterations";
    /** Setting: the Key Vault URL, e.g. {@code https://myvault.vault.azure.net} (azure provider). */
    public static final String VAULT_URL = "vault_url";
    /** Setting: an extra PEM CA bundle to trust, for TLS-inspecting proxies or private endpoints (azure). */
    public static final String CA_FILE = "ca_file";
    /** Setting: {@code false} to skip the check that the auth challenge names the vault's domain (azure). */
    public static final String VERIFY_CHALLENGE_RESOURCE = "verify_challenge_resource";
    /** Setting: retries of a failed request (azure). */
    public static final String MAX_RETRIES = "max_retries";
    /** Setting: timeout of one request in seconds (azure). */
    public static final String TIMEOUT_SECONDS = "timeout_seconds";
    /** Setting: purge a deleted secret so its name can be reused at once (azure). */
    public static final String PURGE_ON_DELETE = "purge_on_delete";

    /** The secret store behind the vault. */
    public enum Provider {
        /** Plain JSON file; development only. */
        DEV(Set.of(PATH)),
        /** AES-GCM encrypted file. */
        FILE(Set.of(PATH, KEY_FILE, PASSPHRASE_ENV, KDF_ITERATIONS)),
        /** Azure Key Vault (bring your own vault). */
        AZURE(Set.of(VAULT_URL, CA_FILE, VERIFY_CHALLENGE_RESOURCE, MAX_RETRIES, TIMEOUT_SECONDS, PURGE_ON_DELETE));

        private final Set<String> keys;

        Provider(Set<String> keys) {
            this.keys = keys;
        }

        /** The id used in configuration: {@code dev}, {@code file} or {@code azure}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The settings this provider understands. */
        public Set<String> settingKeys() {
            return keys;
        }

        /** Parses a provider id; unknown ids are {@link ErrorCode#INVALID_INPUT}. */
        public static Provider of(String id) {
            for (Provider p : values()) {
                if (p.id().equals(id)) {
                    return p;
                }
            }
            throw new ClonedException(ErrorCode.INVALID_INPUT, "unknown vault provider '" + id + "'",
                    "choose one of " + Arrays.stream(values()).map(Provider::id).collect(Collectors.joining(", ")));
        }
    }

    public VaultConfig {
        Objects.requireNonNull(provider, "provider");
        settings = Map.copyOf(Objects.requireNonNull(settings, "settings"));
        for (String key : settings.keySet()) {
            if (!provider.settingKeys().contains(key)) {
                throw new ClonedException(ErrorCode.INVALID_INPUT,
                        "unknown setting '" + key + "' for vault provider " + provider.id(),
                        "known settings: " + new TreeMap<>(provider.settingKeys().stream()
                                .collect(Collectors.toMap(k -> k, k -> ""))).keySet());
            }
        }
    }

    /** The development vault at its default place. */
    public static VaultConfig dev() {
        return new VaultConfig(Provider.DEV, Map.of());
    }

    /** The encrypted file vault, keyed by the passphrase in {@code CLONED_VAULT_PASSPHRASE}. */
    public static VaultConfig file() {
        return new VaultConfig(Provider.FILE, Map.of());
    }

    /** Azure Key Vault at {@code vaultUrl}. */
    public static VaultConfig azure(String vaultUrl) {
        return new VaultConfig(Provider.AZURE, Map.of(VAULT_URL, vaultUrl));
    }

    /** A setting, or {@code fallback} when unset. */
    public String setting(String key, String fallback) {
        return settings.getOrDefault(key, fallback);
    }

    /** The same provider with one more setting. */
    public VaultConfig with(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(settings);
        copy.put(key, value);
        return new VaultConfig(provider, copy);
    }

    /**
     * Reads the vault section as parsed from YAML: {@code provider} plus an optional map named after the
     * provider with its settings (scalars are turned into strings). A missing section means {@link #dev()}.
     */
    public static VaultConfig fromMap(Map<String, ?> section) {
        if (section == null || section.isEmpty()) {
            return dev();
        }
        Object id = section.get("provider");
        Provider provider = Provider.of(id == null ? "dev" : id.toString());
        Object raw = section.get(provider.id());
        Map<String, String> settings = new LinkedHashMap<>();
        if (raw instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) raw).entrySet()) {
                if (e.getValue() != null) {
                    settings.put(e.getKey().toString(), e.getValue().toString());
                }
            }
        } else if (raw != null) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, "vault." + provider.id() + " must be a map of settings");
        }
        return new VaultConfig(provider, settings);
    }

    /** The vault section to write into YAML: {@code provider} and the provider's settings. */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("provider", provider.id());
        if (!settings.isEmpty()) {
            out.put(provider.id(), new TreeMap<>(settings));
        }
        return out;
    }
}
