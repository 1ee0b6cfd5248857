package dev.cloned.runtime.vault;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * Opens the vault a configuration names. Switching provider is a change of {@link VaultConfig}, never of
 * code: every caller gets a {@link Vault}.
 */
public final class Vaults {
    private Vaults() {
    }

    /** Opens the configured vault with the system clock. */
    public static Vault open(VaultConfig config, Path clonedDir, Environment env, VaultListener listener) {
        return open(config, clonedDir, env, listener, Clock.systemUTC());
    }

    /** Opens the configured vault; relative paths are resolved against {@code clonedDir}. */
    public static Vault open(VaultConfig config, Path clonedDir, Environment env, VaultListener listener, Clock clock) {
        switch (config.provider()) {
            case DEV:
                return new DevVault(clonedDir.resolve(config.setting(VaultConfig.PATH, DevVault.DEFAULT_FILE)), listener, clock);
            case FILE:
                return openFile(config, clonedDir, env, listener, clock);
            case AZURE:
                return AzureKeyVault.open(config, env, listener);
            default:
                throw new IllegalStateException("unhandled provider " + config.provider());
        }
    }

    private static Vault openFile(VaultConfig config, Path clonedDir, Environment env, VaultListener listener, Clock clock) {
        Path file = clonedDir.resolve(config.setting(VaultConfig.PATH, FileVault.DEFAULT_FILE));
        String keyFile = config.settings().get(VaultConfig.KEY_FILE);
        if (keyFile != null) {
            return FileVault.withKeyFile(file, clonedDir.resolve(keyFile), listener, clock);
        }
        String envName = config.setting(VaultConfig.PASSPHRASE_ENV, FileVault.DEFAULT_PASSPHRASE_ENV);
        Optional<String> passphrase = env.get(envName);
        if (passphrase.isEmpty()) {
            throw new ClonedException(ErrorCode.VAULT_UNAVAILABLE,
                    "the file vault needs a key: " + envName + " is not set and no key_file is configured",
                    "export " + envName + " with the vault passphrase, or set vault.file.key_file to a 0600 key file");
        }
        int iterations;
        try {
            iterations = Integer.parseInt(config.setting(VaultConfig.KDF_ITERATIONS, String.valueOf(FileVault.DEFAULT_ITERATIONS)));
        } catch (NumberFormatException e) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, "vault.file.kdf_iterations must be a number");
        }
        return FileVault.withPassphrase(file, passphrase.get().toCharArray(), iterations, listener, clock);
    }

    /**
     * The steps printed by {@code cloned vault bootstrap azure}: create a vault and a service principal with the
     * az CLI, then export the settings Cloned reads. Placeholders are in angle brackets.
     */
    public static String azureBootstrapText() {
        return String.join("\n",
                "# Bring your own Azure Key Vault to Cloned",
                "# 1. Sign in and pick the subscription",
                "az login",
                "az account set --subscription <subscription-id>",
                "",
                "# 2. Create a resource group and a vault that uses Azure RBAC",
                "az group create --name <rg> --location <region>",
                "az keyvault create --name <vault-name> --resource-group <rg> --location <region> --enable-rbac-authorization true",
                "",
                "# 3. Create a service principal for Cloned and let it manage secrets in this vault only",
                "VAULT_ID=$(az keyvault show --name <vault-name> --query id --output tsv)",
                "az ad sp create-for-rbac --name cloned-gateway --role \"Key Vault Secrets Officer\" --scopes \"$VAULT_ID\"",
                "#    (note appId, password and tenant from the output; the password is shown once)",
                "",
                "# 4. Export the settings (put them in your shell profile or service environment, never in the repo)",
                "export " + AzureKeyVault.URL_ENV + "=https://<vault-name>.vault.azure.net",
                "export " + AzureTokenCredentials.TENANT + "=<tenant>",
                "export " + AzureTokenCredentials.CLIENT_ID + "=<appId>",
                "export " + AzureTokenCredentials.CLIENT_SECRET + "=<password>",
                "#    Without the three AZURE_* credentials Cloned uses your 'az login' session instead.",
                "",
                "# 5. Switch Cloned to the vault and check it",
                "cloned vault provider azure",
                "cloned vault status",
                "");
    }
}
