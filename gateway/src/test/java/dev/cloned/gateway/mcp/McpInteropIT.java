package dev.cloned.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.gateway.http.HttpGateway;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.WorkspaceInit;
import dev.cloned.runtime.audit.AuditVerifier;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Software nobody here wrote, end to end: the official MCP TypeScript SDK client talks to the gateway's {@code /mcp},
 * and the gateway fronts {@code @modelcontextprotocol/server-everything} (over stdio) as an upstream tool source,
 * once under an allowed publisher and once under one the pack does not allow.
 */
@ExtendWith(VertxExtension.class)
class McpInteropIT {
    @TempDir
    Path root;
    ClonedGateway gw;
    UpstreamMcpTools upstream;
    HttpGateway http;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        NodeClient.install();
        Workspace ws = Workspace.at(root);
        new WorkspaceInit(ws, Clock.systemUTC()).run("personal", false);
        gw = ClonedGateway.open(ws, Clock.systemUTC());
        upstream = UpstreamMcpTools.start("everything",
            List.of("node", NodeClient.everything().toString(), "stdio"), StdioMcpClient.baseEnvironment(System.getenv()),
            gw.redactor(), Duration.ofSeconds(30));
        upstream.register(gw.tools(), "upstream.everything", "cloned.official");
        upstream.register(gw.tools(), "upstream.untrusted", "npm.unknown");
        http = HttpGateway.start(vertx, gw, HttpGateway.Options.of("127.0.0.1", 0), Clock.systemUTC())
            .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        http.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        upstream.close();
        gw.close();
    }

    @Test
    void should_govern_builtin_and_upstream_tools_when_the_ts_sdk_client_calls_through_mcp_http() throws Exception {
        assertThat(upstream.names()).contains("echo");
        ObjectNode cfg = CanonicalJson.MAPPER.createObjectNode().put("transport", "http")
            .put("url", "http://127.0.0.1:" + http.port() + "/mcp").put("token", http.bootstrapToken());
        var calls = cfg.putArray("calls");
        calls.addObject().put("name", "cloned.internal.echo__v1").putObject("arguments").put("a", 1);
        calls.addObject().put("name", "upstream.everything.echo__v1").putObject("arguments").put("message", "hello upstream");
        calls.addObject().put("name", "upstream.untrusted.echo__v1").putObject("arguments").put("message", "nope");
        calls.addObject().put("name", "cloned.internal.artifact.write__v1").putObject("arguments")
            .put("name", "x.txt").put("content", "x");
        calls.addObject().put("name", "upstream.everything.get-tiny-image__v1").putObject("arguments");

        JsonNode out = NodeClient.run(cfg);

        assertThat(out.path("server").path("name").asText()).isEqualTo("cloned");
        List<String> tools = CanonicalJson.MAPPER.convertValue(out.path("tools"), List.class);
        assertThat(tools).contains("cloned.internal.echo__v1", "upstream.everything.echo__v1")
            .as("tools from a publisher the pack does not allow are left out").doesNotContain("upstream.untrusted.echo__v1");
        JsonNode r = out.path("results");
        assertThat(r.get(0).path("isError").asBoolean()).isFalse();
        assertThat(r.get(0).path("structuredContent").path("echo").path("a").asInt()).isEqualTo(1);

        assertThat(r.get(1).path("isError").asBoolean()).isFalse();
        assertThat(r.get(1).path("content").get(0).path("text").asText())
            .as("the upstream's content goes to the client as it sent it").isEqualTo("Echo: hello upstream");

        JsonNode denied = r.get(2);
        assertThat(denied.path("isError").asBoolean()).isTrue();
        assertThat(denied.path("structuredContent").path("status").asText()).isEqualTo("denied");
        assertThat(denied.path("structuredContent").path("code").asText()).isEqualTo("publisher_not_allowed");
        assertThat(denied.path("structuredContent").path("rule").asText()).isNotBlank();
        assertThat(denied.path("structuredContent").has("remaining_budget")).isTrue();

        JsonNode pending = r.get(3);
        assertThat(pending.path("isError").asBoolean()).isTrue();
        assertThat(pending.path("structuredContent").path("status").asText()).isEqualTo("pending_approval");
        assertThat(pending.path("structuredContent").path("approval_id").asText()).startsWith("apr_");

        JsonNode image = r.get(4);
        assertThat(image.path("isError").asBoolean()).isFalse();
        assertThat(image.path("content").findValues("type").stream().map(JsonNode::asText)).contains("image");
        assertThat(image.path("content").findValuesAsText("mimeType")).contains("image/png");

        String audit = Files.readString(gw.workspace().auditLog());
        assertThat(audit).contains("\"tool_id\":\"upstream.everything.echo\"").contains("\"outcome\":\"success\"");
        assertThat(audit).contains("\"tool_id\":\"upstream.untrusted.echo\"").contains("\"actor\":\"mcp:ts-sdk-interop\"");
        assertThat(AuditVerifier.verify(gw.workspace().auditLog()).ok()).isTrue();
    }

    @Test
    void should_refuse_the_mcp_endpoint_when_no_token_is_sent() throws Exception {
        ObjectNode cfg = CanonicalJson.MAPPER.createObjectNode().put("transport", "http")
            .put("url", "http://127.0.0.1:" + http.port() + "/mcp");
        Process p = new ProcessBuilder("node", "client.mjs", CanonicalJson.write(cfg))
            .directory(NodeClient.project().toFile()).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isNotZero();
        assertThat(text).contains("401");
    }
}
