package dev.cloned.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.rules.json.CanonicalJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The official MCP TypeScript SDK client against the real {@code cloned mcp} process (stdio), and serve/pair basics. */
class McpCommandIT {
    @TempDir
    Path ws;

    private static Path tsProject() {
        return Path.of(System.getProperty("cloned.root", "..")).resolve("gateway/src/test/mcp-ts").toAbsolutePath();
    }

    @Test
    void should_list_and_govern_tools_when_the_ts_sdk_client_speaks_stdio() throws Exception {
        assertThat(CliProcess.run(ws, "init").exit()).isZero();
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(tsProject().toFile())
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(npm.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(npm.exitValue()).isZero();

        ObjectNode cfg = CanonicalJson.MAPPER.createObjectNode().put("transport", "stdio")
            .put("command", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path everything = tsProject().resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js");
        cfg.putArray("args").add("-jar").add(CliProcess.jar().toAbsolutePath().toString()).add("mcp")
            .add("--workspace").add(ws.toString())
            .add("--upstream").add("everything=node \"" + everything + "\" stdio").add("--upstream-publisher").add("cloned.official");
        var calls = cfg.putArray("calls");
        calls.addObject().put("name", "cloned.internal.echo__v1").putObject("arguments").put("via", "stdio");
        calls.addObject().put("name", "cloned.internal.fetch__v1").putObject("arguments").put("url", "https://evil.example.com/");
        calls.addObject().put("name", "everything.echo__v1").putObject("arguments").put("message", "upstream over stdio");
        Process node = new ProcessBuilder("node", "client.mjs", CanonicalJson.write(cfg)).directory(tsProject().toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = node.getInputStream().readAllBytes();
        assertThat(node.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as(new String(out, StandardCharsets.UTF_8)).isZero();
        JsonNode report = CanonicalJson.MAPPER.readTree(out);

        assertThat(report.path("tools").toString()).contains("cloned.internal.echo__v1", "cloned.internal.fetch__v1");
        assertThat(report.path("results").get(0).path("structuredContent").path("echo").path("via").asText()).isEqualTo("stdio");
        JsonNode denied = report.path("results").get(1);
        assertThat(denied.path("isError").asBoolean()).isTrue();
        assertThat(denied.path("structuredContent").path("code").asText()).isEqualTo("egress_denied");
        JsonNode upstream = report.path("results").get(2);
        assertThat(upstream.path("isError").asBoolean()).isFalse();
        assertThat(upstream.path("content").get(0).path("text").asText()).isEqualTo("Echo: upstream over stdio");
        String audit = Files.readString(ws.resolve(".cloned/audit.log"));
        assertThat(audit).contains("\"tool_id\":\"everything.echo\"");
        assertThat(audit).contains("\"actor\":\"mcp:ts-sdk-interop\"");
        assertThat(CliProcess.run(ws, "audit", "verify").exit()).isZero();
    }

    @Test
    void should_send_tools_list_changed_over_stdio_when_the_cli_enables_and_disables_a_connector_meanwhile()
        throws Exception {
        ConnectorsCliIT.installTrustedAcme(ws);
        npmCi();
        ObjectNode cfg = CanonicalJson.MAPPER.createObjectNode().put("transport", "stdio")
            .put("command", Path.of(System.getProperty("java.home"), "bin", "java").toString()).put("timeout_ms", 120_000);
        cfg.putArray("args").add("-jar").add(CliProcess.jar().toAbsolutePath().toString()).add("mcp")
            .add("--workspace").add(ws.toString());
        cfg.putArray("steps").add(CanonicalJson.MAPPER.createObjectNode().put("present", "acme.echo__v1"))
            .add(CanonicalJson.MAPPER.createObjectNode().put("absent", "acme.echo__v1"));
        Process node = new ProcessBuilder("node", "watch-tools.mjs", CanonicalJson.write(cfg))
            .directory(tsProject().toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            JsonNode ready = CanonicalJson.MAPPER.readTree(out.readLine());
            assertThat(ready.path("list_changed").asBoolean()).isTrue();
            assertThat(ready.path("tools").toString()).doesNotContain("acme.echo__v1");

            assertThat(CliProcess.run(ws, "connectors", "enable", "connector.acme").exit()).isZero();
            assertThat(CanonicalJson.MAPPER.readTree(out.readLine()).path("tools").toString()).contains("acme.echo__v1");

            assertThat(CliProcess.run(ws, "connectors", "disable", "connector.acme").exit()).isZero();
            assertThat(CanonicalJson.MAPPER.readTree(out.readLine()).path("tools").toString()).doesNotContain("acme.echo__v1");
            assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(node.exitValue()).isZero();
        } finally {
            node.destroy();
        }
    }

    private static void npmCi() throws Exception {
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(tsProject().toFile())
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(npm.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(npm.exitValue()).isZero();
    }

    @Test
    void should_refuse_to_serve_when_the_host_is_not_loopback_and_no_device_is_paired() throws Exception {
        assertThat(CliProcess.run(ws, "init").exit()).isZero();
        CliProcess.Run r = CliProcess.run(ws, "serve", "--host", "0.0.0.0", "--port", "0");
        assertThat(r.exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(r.err()).contains("refusing to listen on 0.0.0.0").contains("fix:");
        CliProcess.Run pairs = CliProcess.run(ws, "pair", "--output", "json", "list");
        assertThat(pairs.exit()).isZero();
        assertThat(pairs.out()).contains("\"devices\"");
    }
}
