package dev.cloned.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.gateway.mcp.ProjectSchemaValidator;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.connectors.PublisherKeys;
import dev.cloned.runtime.connectors.TrustStore;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code cloned connectors} and {@code cloned publisher} end to end through the real CLI: keygen, sign, trust, every
 * install rejection with its exact reason and exit code, then install, verify, enable (governed), a call out of
 * process, disable and remove; and a connector that echoes a vault secret it was given, which must never show (and
 * is denied once the secret is gone).
 */
class ConnectorsCliIT {
    static final String CANARY = "cli-canary-5d1e77b0-never-print";
    @TempDir
    Path ws;

    /** The connector this test installs: an MCP server with {@code acme.echo} and {@code acme.env}. */
    public static final class EchoServer {
        public static void main(String[] args) throws InterruptedException {
            ObjectMapper mapper = new ObjectMapper();
            JacksonMcpJsonMapper json = new JacksonMcpJsonMapper(mapper);
            McpServer.sync(new StdioServerTransportProvider(json)).serverInfo("acme", "1").jsonMapper(json)
                .jsonSchemaValidator(new ProjectSchemaValidator())
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(List.of(
                    tool(json, "acme.echo", "text", a -> String.valueOf(a.get("text"))),
                    tool(json, "acme.env", "name", a -> String.valueOf(System.getenv(String.valueOf(a.get("name")))))))
                .build();
            new CountDownLatch(1).await();
        }

        private static SyncToolSpecification tool(JacksonMcpJsonMapper json, String name, String field,
                                                  java.util.function.Function<Map<String, Object>, String> f) {
            String schema = "{\"type\":\"object\",\"properties\":{\"" + field + "\":{\"type\":\"string\"}},\"required\":[\""
                + field + "\"]}";
            return SyncToolSpecification.builder().tool(McpSchema.Tool.builder(name, json, schema).description(name).build())
                .callHandler((ex, req) -> McpSchema.CallToolResult.builder().addTextContent(f.apply(req.arguments()))
                    .isError(false).build()).build();
        }
    }

    private CliProcess.Run cloned(String... args) throws Exception {
        return CliProcess.run(ws, args);
    }

    /** The acme package (unsigned) in {@code ws/pkg}: its server is {@link EchoServer} on the test class path. */
    static Path unsignedPackage(Path ws, Map<String, String> env) throws Exception {
        Path pkg = Files.createDirectories(ws.resolve("pkg"));
        Files.writeString(pkg.resolve("README.txt"), "acme connector\n");
        ObjectNode m = CanonicalJson.MAPPER.createObjectNode();
        m.put("schema_version", 1).put("id", "connector.acme").put("version", "1.0.0").put("publisher_id", "acme.tools");
        m.putArray("files");
        ArrayNode tools = m.putArray("tools");
        for (String[] t : new String[][] {{"acme.echo@v1", "text"}, {"acme.env@v1", "name"}}) {
            ObjectNode n = tools.addObject().put("id", t[0]).put("description", t[0]);
            n.set("input_schema", CanonicalJson.MAPPER.readTree("{\"type\":\"object\",\"properties\":{\"" + t[1]
                + "\":{\"type\":\"string\"}},\"required\":[\"" + t[1] + "\"]}"));
            n.putArray("egress_hosts");
            n.putObject("cost").put("category", "api_requests").put("estimate", 0);
            n.put("risk_level", "low");
        }
        ObjectNode server = m.putObject("server");
        server.putArray("command").add("${java}").add("-cp")
            .add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")))
            .add(EchoServer.class.getName());
        ObjectNode e = server.putObject("env");
        env.forEach(e::put);
        Files.writeString(pkg.resolve("package.manifest.json"), m.toString());
        return pkg;
    }

    private void allowPublisher() throws Exception {
        allowPublisher(ws);
    }

    /** A personal workspace in {@code ws} with the acme connector signed, trusted, allowed and installed (disabled). */
    static void installTrustedAcme(Path ws) throws Exception {
        assertThat(CliProcess.run(ws, "init", "--type", "personal").exit()).isZero();
        assertThat(CliProcess.run(ws, "publisher", "keygen", "--id", "acme.tools", "--out", "keys").exit()).isZero();
        Path pkg = unsignedPackage(ws, Map.of());
        assertThat(CliProcess.run(ws, "connectors", "sign", pkg.toString(), "--key", "keys/acme.tools.key").exit()).isZero();
        assertThat(CliProcess.run(ws, "publisher", "trust", "keys/acme.tools.json").exit()).isZero();
        allowPublisher(ws);
        CliProcess.Run install = CliProcess.run(ws, "connectors", "install", "pkg");
        assertThat(install.exit()).as(install.all()).isZero();
    }

    /** Allows {@code acme.tools} in the personal pack's overlay of {@code ws}. */
    static void allowPublisher(Path ws) throws Exception {
        Files.writeString(ws.resolve(".cloned/policy/policy.personal.default.yaml"),
            "allowlists:\n  publishers: [acme.tools]\n");
    }

    private void signedAndTrusted(Map<String, String> env) throws Exception {
        assertThat(cloned("init", "--type", "personal").exit()).isZero();
        assertThat(cloned("publisher", "keygen", "--id", "acme.tools", "--out", "keys").exit()).isZero();
        Path pkg = unsignedPackage(ws, env);
        CliProcess.Run signed = cloned("connectors", "sign", pkg.toString(), "--key", "keys/acme.tools.key");
        assertThat(signed.exit()).as(signed.all()).isZero();
    }

    @Test
    void should_install_verify_enable_call_disable_and_remove_when_the_package_is_trusted_and_allowed() throws Exception {
        signedAndTrusted(Map.of());
        CliProcess.Run unknown = cloned("connectors", "install", "pkg");
        assertThat(unknown.exit()).isEqualTo(3);
        assertThat(unknown.err()).contains("unknown publisher").contains("[publisher_untrusted]");

        CliProcess.Run trust = cloned("publisher", "trust", "keys/acme.tools.json");
        assertThat(trust.exit()).as(trust.all()).isZero();
        assertThat(trust.out()).contains("trusted acme.tools").contains("does not allow acme.tools yet");
        CliProcess.Run notAllowed = cloned("connectors", "install", "pkg");
        assertThat(notAllowed.exit()).isEqualTo(3);
        assertThat(notAllowed.err()).contains("not allowed by the policy pack").contains("[publisher_untrusted]");

        allowPublisher();
        CliProcess.Run dry = cloned("connectors", "install", "pkg", "--dry-run");
        assertThat(dry.exit()).as(dry.all()).isZero();
        assertThat(dry.out()).startsWith("verified: connector.acme 1.0.0");
        assertThat(cloned("connectors", "list").out()).doesNotContain("connector.acme");

        CliProcess.Run installed = cloned("connectors", "install", "pkg");
        assertThat(installed.exit()).as(installed.all()).isZero();
        assertThat(cloned("connectors", "list").out()).contains("connector.acme").contains("no");
        assertThat(cloned("connectors", "verify", "connector.acme").out()).startsWith("verified: connector.acme");

        CliProcess.Run enabled = cloned("connectors", "enable", "connector.acme");
        assertThat(enabled.exit()).as(enabled.all()).isZero();
        JsonNode tools = CanonicalJson.MAPPER.readTree(cloned("tools", "-o", "json").out());
        assertThat(tools.findValuesAsText("id")).contains("acme.echo@v1", "acme.env@v1");
        CliProcess.Run call = cloned("call", "acme.echo@v1", "--input", "{\"text\":\"through a process\"}", "-o", "json");
        assertThat(call.exit()).as(call.all()).isZero();
        assertThat(CanonicalJson.MAPPER.readTree(call.out()).path("output").path("text").asText()).isEqualTo("through a process");

        assertThat(cloned("connectors", "disable", "connector.acme").exit()).isZero();
        CliProcess.Run gone = cloned("call", "acme.echo@v1", "--input", "{\"text\":\"x\"}");
        assertThat(gone.exit()).isEqualTo(3);
        assertThat(gone.out()).contains("unknown_tool");
        assertThat(cloned("connectors", "remove", "connector.acme").exit()).isZero();
        assertThat(cloned("connectors", "remove", "connector.acme").exit()).isEqualTo(2);
        String audit = Files.readString(ws.resolve(".cloned/audit.log"));
        assertThat(audit).contains("connector.install_rejected").contains("connector.installed")
            .contains("cloned.internal.connector.enable").contains("connector.removed");
    }

    @Test
    void should_reject_with_the_exact_reason_when_a_package_is_tampered_revoked_or_yanked() throws Exception {
        signedAndTrusted(Map.of());
        assertThat(cloned("publisher", "trust", "keys/acme.tools.json").exit()).isZero();
        allowPublisher();
        Path readme = ws.resolve("pkg/README.txt");
        Path manifest = ws.resolve("pkg/package.manifest.json");
        byte[] good = Files.readAllBytes(readme);
        Files.writeString(readme, "acme connectoR\n");
        CliProcess.Run file = cloned("connectors", "install", "pkg");
        assertThat(file.exit()).isEqualTo(3);
        assertThat(file.err()).contains("README.txt").contains("[hash_mismatch]");
        Files.write(readme, good);

        byte[] goodManifest = Files.readAllBytes(manifest);
        Files.writeString(manifest, new String(goodManifest, StandardCharsets.UTF_8).replace("1.0.0", "1.0.1"));
        CliProcess.Run sig = cloned("connectors", "install", "pkg");
        assertThat(sig.exit()).isEqualTo(3);
        assertThat(sig.err()).contains("[signature_invalid]");
        Files.write(manifest, goodManifest);

        Path revocations = new TrustStore(ws.resolve(".cloned")).revocationsFile();
        Files.writeString(revocations, "{\"yanked\":[{\"id\":\"connector.acme\",\"version\":\"1.0.0\",\"reason\":\"broken\"}]}");
        CliProcess.Run yanked = cloned("connectors", "install", "pkg");
        assertThat(yanked.exit()).isEqualTo(3);
        assertThat(yanked.err()).contains("[version_yanked]");
        String token = "gh" + "p_" + "Zq7".repeat(12); // a yank reason that quotes a token: reports are redacted too
        Files.writeString(revocations, "{\"yanked\":[{\"id\":\"connector.acme\",\"version\":\"1.0.0\",\"reason\":"
            + "\"leaked " + token + "\"}]}");
        CliProcess.Run report = cloned("connectors", "install", "pkg", "--dry-run", "-o", "json");
        assertThat(report.all()).contains("\"error_code\" : \"version_yanked\"").contains("[REDACTED:")
            .doesNotContain(token);

        Files.writeString(revocations, "{}");
        assertThat(cloned("connectors", "install", "pkg").exit()).isZero();
        String fingerprint = PublisherKeys.fingerprint(PublisherKeys.publicKey(
            CanonicalJson.MAPPER.readTree(ws.resolve("keys/acme.tools.json").toFile()).path("public_key").asText()));
        Files.writeString(revocations, "{\"revoked_keys\":[{\"fingerprint\":\"" + fingerprint + "\",\"reason\":\"leaked\"}]}");
        CliProcess.Run revoked = cloned("connectors", "verify", "--all");
        assertThat(revoked.exit()).isEqualTo(3);
        assertThat(revoked.out()).contains("REJECTED").contains("revoked").contains("[publisher_untrusted]");
        CliProcess.Run enable = cloned("connectors", "enable", "connector.acme");
        assertThat(enable.exit()).as("a revoked connector cannot be enabled").isEqualTo(1);
        assertThat(enable.out()).contains("revoked");
    }

    @Test
    void should_never_show_a_vault_secret_when_the_connector_echoes_it_through_the_cli() throws Exception {
        signedAndTrusted(Map.of("CANARY", "vault://canary"));
        assertThat(cloned("publisher", "trust", "keys/acme.tools.json").exit()).isZero();
        allowPublisher();
        Path key = ws.resolve("vault.key");
        Files.writeString(key, java.util.Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'k'));
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        StringBuilder all = new StringBuilder();
        for (List<String> provider : List.of(List.of("dev"), List.of("file", "--key-file", key.toString()))) {
            List<String> args = new java.util.ArrayList<>(List.of("vault", "provider"));
            args.addAll(provider);
            CliProcess.Run p = cloned(args.toArray(String[]::new));
            assertThat(p.exit()).as(p.all()).isZero();
            CliProcess.Run set = CliProcess.runWithStdin(ws, CANARY + "\n", "vault", "set", "canary");
            assertThat(set.exit()).as(set.all()).isZero();
            all.append(set.all()).append(cloned("vault", "status").all());
            if (!Files.exists(ws.resolve(".cloned/registry.yaml"))
                || !Files.readString(ws.resolve(".cloned/registry.yaml")).contains("connector.acme")) {
                assertThat(cloned("connectors", "install", "pkg").exit()).isZero();
                assertThat(cloned("connectors", "enable", "connector.acme").exit()).isZero();
            }
            CliProcess.Run echoed = cloned("call", "acme.env@v1", "--input", "{\"name\":\"CANARY\"}", "-o", "json");
            assertThat(echoed.exit()).as(echoed.all()).isZero();
            assertThat(CanonicalJson.MAPPER.readTree(echoed.out()).path("output").path("text").asText())
                .startsWith("[REDACTED:secret#");
            all.append(echoed.all()).append(cloned("call", "acme.env@v1", "--input", "{\"name\":\"CANARY\"}").all())
                .append(cloned("audit", "tail").all());
        }
        assertThat(cloned("vault", "delete", "canary").exit()).isZero();
        CliProcess.Run missing = cloned("call", "acme.env@v1", "--input", "{\"name\":\"CANARY\"}");
        assertThat(missing.exit()).as("a call whose secret is gone is denied, not run without it").isEqualTo(3);
        assertThat(missing.out()).startsWith("denied: acme.env@v1")
            .contains("secret_not_found: connector connector.acme needs secret vault://canary (as CANARY)")
            .contains("fix: store it with 'cloned vault set canary'").contains("[fail_closed]");
        all.append(missing.all());
        assertThat(all.toString()).doesNotContain(CANARY);
        assertThat(Files.readString(ws.resolve(".cloned/audit.log"))).doesNotContain(CANARY);
        assertThat(new String(Files.readAllBytes(ws.resolve(".cloned/state.db")), StandardCharsets.ISO_8859_1))
            .doesNotContain(CANARY);
        assertThat(Files.readString(ws.resolve(".cloned/vault.enc"))).doesNotContain(CANARY);
    }
}
