package dev.cloned.runtime.vault;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.runtime.redact.Redactor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stores a canary secret in each provider, pushes it through everything that produces output here (log
 * lines, JSON documents, vault status, listings, warnings) via the redactor, and proves the canary never
 * comes out.
 */
class VaultCanaryTest {
    @TempDir
    static Path certDir;
    static FakeKeyVaultServer server;
    static TestCertificates certs;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path cloned;

    @BeforeAll
    static void start() throws Exception {
        certs = TestCertificates.create(certDir);
        server = new FakeKeyVaultServer(certs);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private VaultConfig config(String provider) {
        switch (provider) {
            case "dev":
                return VaultConfig.dev();
            case "file":
                return VaultConfig.file().with(VaultConfig.KDF_ITERATIONS, String.valueOf(FileVault.MIN_ITERATIONS));
            default:
                return VaultConfig.azure(server.url()).with(VaultConfig.CA_FILE, certs.pem.toString())
                        .with(VaultConfig.VERIFY_CHALLENGE_RESOURCE, "false").with(VaultConfig.MAX_RETRIES, "0");
        }
    }

    private Environment env() {
        return Environment.of(Map.of(
                "CLONED_VAULT_PASSPHRASE", "canary test passphrase",
                "AZURE_TENANT_ID", FakeKeyVaultServer.TENANT,
                "AZURE_CLIENT_ID", FakeKeyVaultServer.CLIENT_ID,
                "AZURE_CLIENT_SECRET", FakeKeyVaultServer.CLIENT_SECRET,
                "AZURE_AUTHORITY_HOST", server.url()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "file", "azure"})
    void should_never_output_the_canary_when_it_is_stored_in_the_vault(String provider) throws Exception {
        String canary = "CANARY-" + UUID.randomUUID() + "/\"q\"";
        List<String> output = new ArrayList<>();

        // The writing process (e.g. 'cloned vault set') and a later reading process (the gateway).
        Redactor writerRedactor = Redactor.forWorkspace(cloned);
        try (Vault writer = Vaults.open(config(provider), cloned, env(),
                writerRedactor.vaultListener(new CollectingListener(output)))) {
            writer.set("canary", canary);
            output.add(writerRedactor.redact("set secret canary=" + canary));
        }
        Redactor readerRedactor = Redactor.forWorkspace(cloned);
        try (Vault reader = Vaults.open(config(provider), cloned, env(),
                readerRedactor.vaultListener(new CollectingListener(output)))) {
            String value = reader.resolve(VaultRef.parse("vault://canary"));
            assertThat(value).isEqualTo(canary);
            ObjectNode call = JSON.createObjectNode();
            call.put("tool", "demo.fetch@v1");
            call.putObject("input").put("header", "X-Custom " + value).put("nested", "prefix" + value + "suffix");
            output.add(readerRedactor.redactJson(JSON.writeValueAsString(call)));
            output.add(readerRedactor.redact(JSON.writeValueAsString(call)));
            output.add(readerRedactor.redact("connector failed: upstream said '" + value + "'"));
            output.add(readerRedactor.redact(new IllegalStateException("bad key " + value).toString()));
            output.add(readerRedactor.redact(reader.status().toString()));
            output.add(readerRedactor.redact(reader.list().toString()));
        }

        assertThat(output).isNotEmpty().allSatisfy(line -> assertThat(line).doesNotContain("CANARY-"));
        assertThat(String.join("\n", output)).contains("[REDACTED:secret#");
        if (!provider.equals("dev")) {
            try (Stream<Path> files = Files.walk(cloned)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    assertThat(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain("CANARY-");
                }
            }
        }
    }

    /** Stands for the log: warnings go through the redactor before they are collected. */
    private static final class CollectingListener implements VaultListener {
        private final List<String> out;

        CollectingListener(List<String> out) {
            this.out = out;
        }

        @Override
        public void warning(String message) {
            out.add(message);
        }
    }
}
