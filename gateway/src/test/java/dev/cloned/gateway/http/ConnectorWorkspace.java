package dev.cloned.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.gateway.connectors.TestPackages;
import dev.cloned.gateway.mcp.ProjectSchemaValidator;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.WorkspaceInit;
import dev.cloned.runtime.vault.Environment;
import dev.cloned.runtime.vault.VaultConfig;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A personal workspace whose overlay allows the test publisher, with the vault provider given and the signed test
 * connector installed and enabled; the connector's environment holds {@code CANARY_VALUE = vault://canary}.
 */
final class ConnectorWorkspace {
    static final String VARIABLE = "CANARY_VALUE";

    private ConnectorWorkspace() {
    }

    /** Creates it under {@code root}; stores {@code secret} as {@code canary} unless it is null. */
    static Workspace create(Path root, VaultConfig vault, Environment env, String secret) throws Exception {
        Workspace ws = Workspace.at(root);
        new WorkspaceInit(ws, Clock.systemUTC()).run("personal", false);
        Files.writeString(ws.policyDir().resolve("policy.personal.default.yaml"),
            "allowlists:\n  publishers: [cloned.official, " + TestPackages.PUBLISHER + "]\n");
        ws.writeConfig(ws.config().withVault(CanonicalJson.MAPPER.valueToTree(vault.toMap())));
        Path pkg = TestPackages.build(Files.createDirectories(root.resolve("build")), ws.dir(),
            Map.of(VARIABLE, "vault://canary"));
        try (ClonedGateway gw = ClonedGateway.open(ws, Clock.systemUTC(), env)) {
            if (secret != null) {
                gw.vault().set("canary", secret);
            }
            gw.installer().install(pkg);
            gw.connectors().enable(TestPackages.ID);
        }
        return ws;
    }

    /** An MCP client (the Java SDK's Streamable HTTP transport) of the fixture's {@code /mcp}, initialized. */
    static McpSyncClient mcp(GatewayFixture f) {
        McpSyncClient c = McpClient.sync(HttpClientStreamableHttpTransport.builder(f.base).endpoint("/mcp")
                .jsonMapper(new JacksonMcpJsonMapper(CanonicalJson.MAPPER))
                .httpRequestCustomizer((b, method, uri, body, ctx) -> b.header("Authorization", "Bearer " + f.token))
                .build())
            .jsonSchemaValidator(new ProjectSchemaValidator()).requestTimeout(Duration.ofSeconds(60)).initializationTimeout(Duration.ofSeconds(60)).build();
        c.initialize();
        return c;
    }

    /** The audit entries of one call, in order (read after the gateway flushed or closed). */
    static List<JsonNode> auditOf(Workspace ws, String callId) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(ws.auditLog())) {
            JsonNode n = CanonicalJson.MAPPER.readTree(line);
            if (callId.equals(n.path("call_id").asText())) {
                out.add(n);
            }
        }
        return out;
    }
}
