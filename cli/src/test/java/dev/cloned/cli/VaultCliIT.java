package dev.cloned.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.rules.json.CanonicalJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code cloned vault} through the real CLI: providers switched by configuration, wrong key, unreachable Azure. */
class VaultCliIT {
    static final String VALUE = "vault-cli-value-0c9e2b41";
    @TempDir
    Path ws;

    private CliProcess.Run cloned(String... args) throws Exception {
        return CliProcess.run(ws, args);
    }

    private Path keyFile(String name) throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path f = ws.resolve(name);
        Files.writeString(f, Base64.getEncoder().encodeToString(key));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    @Test
    void should_switch_providers_by_configuration_and_never_print_values() throws Exception {
        assertThat(cloned("init", "--type", "personal").exit()).isZero();
        CliProcess.Run set = CliProcess.runWithStdin(ws, VALUE + "\n", "vault", "set", "api-key");
        assertThat(set.exit()).as(set.all()).isZero();
        CliProcess.Run status = cloned("vault", "-o", "json", "status");
        JsonNode st = CanonicalJson.MAPPER.readTree(status.out());
        assertThat(st.path("provider").asText()).isEqualTo("dev");
        assertThat(st.path("reachable").asBoolean()).isTrue();
        assertThat(st.path("secrets").findValuesAsText("name")).containsExactly("api-key");
        CliProcess.Run get = cloned("vault", "get", "api-key", "--reveal-never");
        assertThat(get.out()).contains("api-key: set");

        Path key = keyFile("vault.key");
        CliProcess.Run file = cloned("vault", "provider", "file", "--key-file", key.toString());
        assertThat(file.exit()).as(file.all()).isZero();
        assertThat(Files.readString(ws.resolve(".cloned/config.yaml"))).contains("provider: file").contains("key_file");
        assertThat(cloned("vault", "get", "api-key").exit()).as("secrets are not copied between providers").isEqualTo(2);
        assertThat(CliProcess.runWithStdin(ws, VALUE, "vault", "set", "api-key").exit()).isZero();
        assertThat(Files.readString(ws.resolve(".cloned/vault.enc"))).doesNotContain(VALUE);
        assertThat(cloned("vault", "delete", "api-key").exit()).isZero();
        assertThat(cloned("vault", "delete", "api-key").exit()).isEqualTo(2);
        assertThat(cloned("vault", "provider", "dev").exit()).isZero();
        assertThat(cloned("vault", "get", "api-key").exit()).as("the dev vault still has its own copy").isZero();

        String everything = set.all() + status.all() + get.all() + file.all();
        assertThat(everything).doesNotContain(VALUE);
        assertThat(Files.readString(ws.resolve(".cloned/audit.log"))).contains("vault.set").doesNotContain(VALUE);
    }

    @Test
    void should_fail_clearly_and_write_nothing_when_the_file_vault_key_is_wrong() throws Exception {
        assertThat(cloned("init", "--type", "personal").exit()).isZero();
        Path key = keyFile("vault.key");
        assertThat(cloned("vault", "provider", "file", "--key-file", key.toString()).exit()).isZero();
        assertThat(CliProcess.runWithStdin(ws, VALUE, "vault", "set", "a").exit()).isZero();
        byte[] before = Files.readAllBytes(ws.resolve(".cloned/vault.enc"));
        Files.writeString(key, Base64.getEncoder().encodeToString(new byte[32]));

        CliProcess.Run status = cloned("vault", "status");
        assertThat(status.exit()).isEqualTo(3);
        assertThat(status.out()).contains("reachable: no").contains("wrong key");
        CliProcess.Run set = CliProcess.runWithStdin(ws, "other", "vault", "set", "b");
        assertThat(set.exit()).isEqualTo(1);
        assertThat(set.err()).contains("wrong key").contains("[vault_unavailable]");
        assertThat(Files.readAllBytes(ws.resolve(".cloned/vault.enc"))).isEqualTo(before);
    }

    @Test
    void should_report_unreachable_when_the_azure_endpoint_does_not_answer() throws Exception {
        assertThat(cloned("init", "--type", "personal").exit()).isZero();
        CliProcess.Run azure = cloned("vault", "provider", "azure", "--vault-url", "https://127.0.0.1:9");
        assertThat(azure.exit()).as(azure.all()).isEqualTo(3);
        assertThat(azure.out()).contains("provider:  azure").contains("reachable: no");
        CliProcess.Run set = CliProcess.runWithStdin(ws, VALUE, "vault", "set", "x");
        assertThat(set.exit()).isEqualTo(1);
        assertThat(set.err()).contains("[vault_unavailable]").doesNotContain(VALUE);
        CliProcess.Run boot = cloned("vault", "bootstrap", "azure");
        assertThat(boot.out()).contains("az keyvault create").contains("export AZURE_KEYVAULT_URL=");
    }
}
