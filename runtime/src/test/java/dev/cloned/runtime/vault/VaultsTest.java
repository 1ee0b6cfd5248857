package dev.cloned.runtime.vault;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VaultsTest {
    @TempDir
    Path cloned;

    private final Environment env = Environment.of(Map.of("CLONED_VAULT_PASSPHRASE", "switch test passphrase"));

    /** The code below never names a provider: only the configuration section changes. */
    private String storeAndRead(Map<String, Object> section) {
        try (Vault vault = Vaults.open(VaultConfig.fromMap(section), cloned, env, VaultListener.NONE)) {
            vault.set("switch-check", "value-for-" + vault.provider());
            return vault.provider() + ":" + vault.require("switch-check");
        }
    }

    @Test
    void should_switch_provider_when_only_configuration_changes() throws Exception {
        assertThat(storeAndRead(Map.of("provider", "dev"))).isEqualTo("dev:value-for-dev");
        assertThat(storeAndRead(Map.of("provider", "file", "file", Map.of("kdf_iterations", 100_000))))
                .isEqualTo("file:value-for-file");
        assertThat(cloned.resolve("vault.dev.json")).exists();
        assertThat(Files.readString(cloned.resolve("vault.enc"))).doesNotContain("value-for-file");
    }

    @Test
    void should_round_trip_the_config_section_when_written_and_read() {
        VaultConfig config = VaultConfig.azure("https://example.vault.azure.net").with(VaultConfig.MAX_RETRIES, "1");
        Map<String, Object> section = config.toMap();
        assertThat(section).containsEntry("provider", "azure");
        assertThat(VaultConfig.fromMap(section)).isEqualTo(config);
        assertThat(VaultConfig.fromMap(Map.of())).isEqualTo(VaultConfig.dev());
    }

    @Test
    void should_reject_unknown_provider_and_settings_when_reading_config() {
        assertThatThrownBy(() -> VaultConfig.fromMap(Map.of("provider", "s3")))
                .isInstanceOfSatisfying(ClonedException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
                    assertThat(e.hint()).contains("dev, file, azure");
                });
        assertThatThrownBy(() -> VaultConfig.fromMap(Map.of("provider", "dev", "dev", Map.of("password", "x"))))
                .isInstanceOfSatisfying(ClonedException.class, e -> assertThat(e.getMessage()).contains("unknown setting 'password'"));
    }

    @Test
    void should_parse_and_format_references_when_valid() {
        assertThat(VaultRef.parse("vault://OPENAI_API_KEY").name()).isEqualTo("OPENAI_API_KEY");
        assertThat(new VaultRef("gh.token").toString()).isEqualTo("vault://gh.token");
        assertThat(VaultRef.isRef("vault://a/b")).isFalse();
        assertThatThrownBy(() -> VaultRef.parse("env://X")).isInstanceOf(ClonedException.class);
    }

    @Test
    void should_name_every_setting_when_printing_the_azure_bootstrap() {
        assertThat(Vaults.azureBootstrapText()).contains("az keyvault create", "Key Vault Secrets Officer",
                "AZURE_KEYVAULT_URL", "AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "cloned vault provider azure");
    }
}
