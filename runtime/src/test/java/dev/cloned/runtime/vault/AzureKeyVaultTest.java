package dev.cloned.runtime.vault;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.vertx.VertxHttpClientBuilder;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemTrustOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Azure provider through the real SDK client, against {@link FakeKeyVaultServer} over HTTPS on 127.0.0.1
 * with a self-signed certificate the client trusts explicitly.
 */
class AzureKeyVaultTest extends VaultContractTest {
    @TempDir
    static Path certDir;
    static TestCertificates certs;
    static FakeKeyVaultServer server;
    static Vertx vertx;
    static HttpClient http;
    static final List<List<String>> tokenScopes = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        certs = TestCertificates.create(certDir);
        server = new FakeKeyVaultServer(certs);
        vertx = Vertx.vertx();
        http = new VertxHttpClientBuilder().vertx(vertx)
                .httpClientOptions(new HttpClientOptions().setTrustOptions(new PemTrustOptions().addCertPath(certs.pem.toString())))
                .build();
    }

    @AfterAll
    static void stop() {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    static final TokenCredential TEST_CREDENTIAL = request -> {
        tokenScopes.add(request.getScopes());
        return Mono.just(new AccessToken(FakeKeyVaultServer.TOKEN, OffsetDateTime.now().plusHours(1)));
    };

    @Override
    Vault create(Path dir, VaultListener listener) {
        return new AzureKeyVault(server.url(), TEST_CREDENTIAL, http,
                new AzureKeyVault.Options(0, Duration.ofSeconds(10), false, true), listener);
    }

    @BeforeEach
    void emptyVault() {
        server.reset(); // the server outlives a test: start each from an empty vault
    }

    @Test
    void should_answer_the_bearer_challenge_with_the_vault_scope_when_calling() throws Exception {
        vault().set("challenge", "value-c");
        assertThat(tokenScopes).contains(List.of("https://vault.azure.net/.default"));
    }

    @Test
    void should_map_names_to_key_vault_charset_when_they_have_other_characters() throws Exception {
        Vault v = vault();
        v.set("my.service_TOKEN", "value-m");
        assertThat(server.requests).anySatisfy(r -> assertThat(r).matches("PUT /secrets/my-service-token-[0-9a-f]{8}"));
        assertThat(v.list()).extracting(SecretInfo::name).contains("my.service_TOKEN");
    }

    @Test
    void should_fail_with_one_clear_error_when_endpoint_is_unreachable() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        RecordingListener l = new RecordingListener();
        Vault v = new AzureKeyVault("https://127.0.0.1:" + closedPort, TEST_CREDENTIAL, http,
                new AzureKeyVault.Options(0, Duration.ofSeconds(5), false, true), l);
        assertThatThrownBy(() -> v.get("anything"))
                .isInstanceOfSatisfying(ClonedException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VAULT_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("unreachable").contains("127.0.0.1:" + closedPort);
                    assertThat(e.hint()).contains("never read from elsewhere");
                });
        assertThatThrownBy(() -> v.set("anything", "value")).isInstanceOf(ClonedException.class);
        VaultStatus status = v.status();
        assertThat(status.reachable()).isFalse();
        assertThat(status.errorCode()).isEqualTo(ErrorCode.VAULT_UNAVAILABLE);
    }

    @Test
    void should_fail_clearly_when_token_is_rejected() {
        TokenCredential bad = r -> Mono.just(new AccessToken("not-the-token", OffsetDateTime.now().plusHours(1)));
        Vault v = new AzureKeyVault(server.url(), bad, http, new AzureKeyVault.Options(0, Duration.ofSeconds(5), false, true),
                VaultListener.NONE);
        assertThatThrownBy(() -> v.get("anything"))
                .isInstanceOfSatisfying(ClonedException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VAULT_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("HTTP 401");
                    assertThat(e.hint()).contains("Key Vault Secrets Officer");
                });
    }

    @Test
    void should_reject_the_challenge_when_resource_verification_is_on_and_domain_differs() throws Exception {
        // A server of its own: the SDK caches a verified challenge per host and port.
        try (FakeKeyVaultServer other = new FakeKeyVaultServer(certs)) {
            Vault v = new AzureKeyVault(other.url(), TEST_CREDENTIAL, http,
                    new AzureKeyVault.Options(0, Duration.ofSeconds(5), true, true), VaultListener.NONE);
            assertThatThrownBy(() -> v.get("anything"))
                    .isInstanceOfSatisfying(ClonedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VAULT_UNAVAILABLE));
        }
    }

    @Test
    void should_open_from_configuration_with_service_principal_from_environment() throws Exception {
        VaultConfig config = VaultConfig.azure(server.url())
                .with(VaultConfig.CA_FILE, certs.pem.toString())
                .with(VaultConfig.VERIFY_CHALLENGE_RESOURCE, "false")
                .with(VaultConfig.MAX_RETRIES, "0");
        Environment env = Environment.of(Map.of(
                "AZURE_TENANT_ID", FakeKeyVaultServer.TENANT,
                "AZURE_CLIENT_ID", FakeKeyVaultServer.CLIENT_ID,
                "AZURE_CLIENT_SECRET", FakeKeyVaultServer.CLIENT_SECRET,
                "AZURE_AUTHORITY_HOST", server.url()));
        try (Vault v = Vaults.open(config, dir, env, listener)) {
            assertThat(v.provider()).isEqualTo("azure");
            v.set("from-config", "value-f");
            assertThat(v.get("from-config")).contains("value-f");
            v.delete("from-config");
        }
        Environment wrongSecret = Environment.of(Map.of(
                "AZURE_TENANT_ID", FakeKeyVaultServer.TENANT,
                "AZURE_CLIENT_ID", FakeKeyVaultServer.CLIENT_ID,
                "AZURE_CLIENT_SECRET", "wrong",
                "AZURE_AUTHORITY_HOST", server.url()));
        try (Vault v = Vaults.open(config, dir, wrongSecret, listener)) {
            assertThatThrownBy(() -> v.get("from-config"))
                    .isInstanceOfSatisfying(ClonedException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.VAULT_UNAVAILABLE);
                        assertThat(e.getMessage()).contains("invalid_client").doesNotContain("wrong");
                        assertThat(e.hint()).contains("AZURE_CLIENT_SECRET");
                    });
        }
    }

    @Test
    void should_explain_how_to_configure_when_no_url_is_set() {
        assertThatThrownBy(() -> Vaults.open(new VaultConfig(VaultConfig.Provider.AZURE, Map.of()), dir,
                Environment.of(Map.of()), listener))
                .isInstanceOfSatisfying(ClonedException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VAULT_UNAVAILABLE);
                    assertThat(e.hint()).contains("bootstrap azure");
                });
    }
}
