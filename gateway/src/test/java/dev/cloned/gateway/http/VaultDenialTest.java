package dev.cloned.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.gateway.connectors.TestPackages;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.vault.Environment;
import dev.cloned.runtime.vault.FileVault;
import dev.cloned.runtime.vault.VaultConfig;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.cloned.gateway.http.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connector call that needs a secret the vault cannot give (unreachable, locked, missing) is DENIED with a stable
 * code and one message (what, where, how to fix), audited as blocked, over HTTP and MCP alike; the connector never
 * starts and nothing falls back to plaintext. Real gateway on loopback, real connector subprocess.
 */
@ExtendWith(VertxExtension.class)
class VaultDenialTest {
    private static final String PASSPHRASE = "vault denial test passphrase";
    @TempDir
    Path root;
    GatewayFixture f;

    /** One way the vault fails: how the workspace is made, what the gateway is given, what the caller must see. */
    record Failure(String note, VaultConfig vault, Environment setup, Environment gateway, String secret, String code,
                   String where, String fix) {
        @Override
        public String toString() {
            return note;
        }
    }

    static Stream<Arguments> failures() throws Exception {
        VaultConfig file = VaultConfig.file().with(VaultConfig.KDF_ITERATIONS, String.valueOf(FileVault.MIN_ITERATIONS));
        Environment withKey = Environment.of(Map.of(FileVault.DEFAULT_PASSPHRASE_ENV, PASSPHRASE));
        String dead = "https://127.0.0.1:" + freePort();
        VaultConfig azure = VaultConfig.azure(dead).with(VaultConfig.VERIFY_CHALLENGE_RESOURCE, "false")
            .with(VaultConfig.MAX_RETRIES, "0").with(VaultConfig.TIMEOUT_SECONDS, "5");
        Environment azureCreds = Environment.of(Map.of("AZURE_TENANT_ID", "t", "AZURE_CLIENT_ID", "c",
            "AZURE_CLIENT_SECRET", "s", "AZURE_AUTHORITY_HOST", dead));
        return Stream.of(
            new Failure("dev vault without the secret", VaultConfig.dev(), Environment.of(Map.of()),
                Environment.of(Map.of()), null, "secret_not_found", "in the dev vault", "cloned vault set canary"),
            new Failure("file vault locked: no passphrase given", file, withKey, Environment.of(Map.of()), "s3cret-value",
                "vault_unavailable", "the file vault needs a key", "export " + FileVault.DEFAULT_PASSPHRASE_ENV),
            new Failure("file vault locked: wrong passphrase", file, withKey,
                Environment.of(Map.of(FileVault.DEFAULT_PASSPHRASE_ENV, "not the passphrase")), "s3cret-value",
                "vault_unavailable", "wrong key", "the passphrase or key file the vault was created with"),
            new Failure("azure vault unreachable", azure, azureCreds, azureCreds, null, "vault_unavailable",
                dead, "check vault.azure.vault_url")
        ).map(Arguments::of);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    private GatewayFixture start(Vertx vertx, Failure failure) throws Exception {
        ConnectorWorkspace.create(root, failure.vault(), failure.setup(), failure.secret());
        f = new GatewayFixture(vertx, root, HttpGateway.Options.of("127.0.0.1", 0), false, failure.gateway());
        return f;
    }

    private HttpResponse<String> callEnv() throws Exception {
        return f.send(f.post("/v1/tool-calls",
            "{\"tool_id\":\"test.env@v1\",\"input\":{\"name\":\"" + ConnectorWorkspace.VARIABLE + "\"}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void should_deny_with_a_stable_code_over_http_and_mcp_when_the_vault_cannot_give_the_secret(Failure failure,
                                                                                              Vertx vertx)
        throws Exception {
        start(vertx, failure);
        String what = "connector " + TestPackages.ID + " needs secret vault://canary (as " + ConnectorWorkspace.VARIABLE + ")";

        HttpResponse<String> r = callEnv();
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(Problems.MEDIA_TYPE);
        JsonNode p = json(r);
        assertThat(p.path("code").asText()).isEqualTo(failure.code());
        assertThat(p.path("detail").asText()).startsWith(what).contains(failure.where()).contains("; fix: ")
            .contains(failure.fix());
        assertThat(p.path("result").path("status").asText()).isEqualTo("denied");
        assertThat(p.path("result").path("decision").path("effect").asText()).isEqualTo("deny");
        assertThat(p.path("result").path("decision").path("reasons").get(0).path("rule").asText()).isEqualTo("fail_closed");
        String callId = p.path("result").path("call_id").asText();

        McpSyncClient mcp = ConnectorWorkspace.mcp(f);
        try {
            McpSchema.CallToolResult m = mcp.callTool(McpSchema.CallToolRequest.builder("test.env__v1")
                .arguments(Map.of("name", ConnectorWorkspace.VARIABLE)).build());
            assertThat(m.isError()).isTrue();
            JsonNode s = CanonicalJson.MAPPER.valueToTree(m.structuredContent());
            assertThat(s.path("status").asText()).as("a second try is denied the same way, not backed off").isEqualTo("denied");
            assertThat(s.path("code").asText()).isEqualTo(failure.code());
            assertThat(s.path("reason").asText()).startsWith(what).contains(failure.fix());
            assertThat(s.path("rule").asText()).isEqualTo("fail_closed");
            assertThat(((McpSchema.TextContent) m.content().get(0)).text()).startsWith("denied (" + failure.code() + "): ");
        } finally {
            mcp.closeGracefully();
        }

        assertThat(f.gw.connectors().process(TestPackages.ID)).as("the connector never started").isEmpty();
        f.gw.audit().awaitFlushed();
        List<JsonNode> lines = ConnectorWorkspace.auditOf(f.gw.workspace(), callId);
        assertThat(lines).extracting(e -> e.path("kind").asText() + " " + e.path("outcome").asText())
            .containsExactly("decision null", "outcome blocked");
        JsonNode outcome = lines.get(1).path("policy_decision");
        assertThat(outcome.path("effect").asText()).isEqualTo("deny");
        assertThat(outcome.path("reasons").get(0).path("code").asText()).isEqualTo(failure.code());
        assertThat(json(f.send(f.get("/v1/budgets"))).findValues("used")).allMatch(u -> u.asLong() == 0);
    }

    @Test
    void should_run_the_call_at_once_when_the_missing_secret_is_stored(Vertx vertx) throws Exception {
        start(vertx, new Failure("dev", VaultConfig.dev(), Environment.of(Map.of()), Environment.of(Map.of()), null,
            "secret_not_found", "", ""));
        assertThat(callEnv().statusCode()).isEqualTo(403);
        assertThat(callEnv().statusCode()).as("denied again, no connector backoff").isEqualTo(403);

        f.gw.vault().set("canary", "now-it-is-there");
        HttpResponse<String> r = callEnv();
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).path("status").asText()).isEqualTo("succeeded");
        assertThat(json(r).path("output").path("text").asText()).startsWith("[REDACTED:secret#");
    }
}
