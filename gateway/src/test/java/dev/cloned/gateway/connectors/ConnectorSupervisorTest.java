package dev.cloned.gateway.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.gateway.json.Views;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.WorkspaceInit;
import dev.cloned.runtime.tools.CallResult;
import dev.cloned.runtime.tools.RegisteredTool;
import dev.cloned.runtime.tools.ToolCallEnvelope;
import dev.cloned.runtime.vault.Environment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connectors out of process, end to end: a signed test connector installed in an enterprise workspace (no global
 * egress) whose overlay allows its publisher and 127.0.0.1 for it, run as a real subprocess behind the egress proxy.
 */
class ConnectorSupervisorTest {
    static final String CANARY = "canary-7f3a9c1e-do-not-leak";
    @TempDir
    Path root;
    Workspace ws;
    ClonedGateway gw;
    HttpServer local;
    String base;

    @BeforeEach
    void setUp() throws IOException {
        ws = Workspace.at(root.resolve("ws"));
        new WorkspaceInit(ws, Clock.systemUTC()).run("enterprise", false);
        Files.writeString(ws.policyDir().resolve("policy.enterprise.default.yaml"), "allowlists:\n"
            + "  publishers: [test.publisher]\n  egress_by_connector:\n    connector.test: [127.0.0.1]\n");
        Path pkg = TestPackages.build(root, ws.dir(), Map.of("CANARY_VALUE", "vault://canary"));
        gw = ClonedGateway.open(ws, Clock.systemUTC(), Environment.of(Map.of()));
        gw.vault().set("canary", CANARY);
        gw.installer().install(pkg);
        gw.connectors().enable(TestPackages.ID);
        local = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        local.createContext("/hello", ex -> reply(ex, 200, "hello from loopback", null));
        local.createContext("/redirect", ex -> reply(ex, 302, "", "http://localhost:" + local.getAddress().getPort() + "/hello"));
        local.start();
        base = "http://127.0.0.1:" + local.getAddress().getPort();
    }

    @AfterEach
    void tearDown() {
        gw.close();
        local.stop(0);
    }

    private static void reply(com.sun.net.httpserver.HttpExchange ex, int status, String body, String location)
        throws IOException {
        if (location != null) {
            ex.getResponseHeaders().add("Location", location);
        }
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(b);
        }
    }

    private CallResult call(String tool, String input) throws IOException {
        return gw.calls().call(new ToolCallEnvelope(tool, CanonicalJson.MAPPER.readTree(input), "test:agent", false, null));
    }

    private List<JsonNode> audit() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(ws.auditLog())) {
            out.add(CanonicalJson.MAPPER.readTree(line));
        }
        return out;
    }

    private List<JsonNode> denials() throws IOException {
        gw.audit().close(); // drain; a closed log is reopened by nobody here, so read after the calls only
        return audit().stream().filter(e -> "egress.denied".equals(e.path("event").asText())).toList();
    }

    @Test
    void should_register_tools_with_their_schemas_when_enabled() throws IOException {
        RegisteredTool echo = gw.tools().find("test.echo@v1").orElseThrow();
        assertThat(echo.descriptor().connectorId()).isEqualTo(TestPackages.ID);
        assertThat(echo.descriptor().publisherId()).isEqualTo(TestPackages.PUBLISHER);
        assertThat(echo.descriptor().capabilities()).containsExactly("test.things");
        assertThat(echo.descriptor().inputSchema().path("required").get(0).asText()).isEqualTo("text");
        assertThat(gw.tools().all()).extracting(t -> t.descriptor().id())
            .contains("test.echo@v1", "test.env@v1", "test.block@v1", "test.fetch@v1");
        assertThat(gw.connectors().process(TestPackages.ID)).as("started on first use only").isEmpty();
    }

    @Test
    void should_run_and_audit_a_call_when_the_connector_is_enabled() throws IOException {
        CallResult r = call("test.echo@v1", "{\"text\":\"hello, governed\"}");
        assertThat(r.status()).as(String.valueOf(r.error())).isEqualTo(CallResult.Status.SUCCEEDED);
        assertThat(r.output().path("text").asText()).isEqualTo("hello, governed");
        gw.audit().close();
        assertThat(audit()).anySatisfy(e -> {
            assertThat(e.path("tool_id").asText()).isEqualTo("test.echo");
            assertThat(e.path("outcome").asText()).isEqualTo("success");
        });
    }

    @Test
    void should_start_the_process_with_a_minimal_environment_when_called() throws IOException {
        CallResult r = call("test.env_names@v1", "{}");
        assertThat(r.status()).isEqualTo(CallResult.Status.SUCCEEDED);
        Set<String> names = Set.of(r.output().path("text").asText().split(","));
        Set<String> allowed = new java.util.HashSet<>(dev.cloned.gateway.mcp.StdioMcpClient.BASE_ENVIRONMENT);
        allowed.addAll(List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "NO_PROXY", "no_proxy",
            "CLONED_CONNECTOR_ID", "CANARY_VALUE"));
        assertThat(names).contains("HTTP_PROXY", "HTTPS_PROXY", "CANARY_VALUE", "PATH").isSubsetOf(allowed);
    }

    @Test
    void should_deny_and_audit_a_host_the_pack_does_not_allow_when_fetched_through_the_proxy() throws IOException {
        CallResult plain = call("test.fetch@v1", "{\"url\":\"http://blocked.example/x\"}");
        assertThat(plain.output().path("text").asText()).startsWith("403 cloned egress guard: connector.test may not reach blocked.example");
        CallResult tls = call("test.fetch@v1", "{\"url\":\"https://blocked.example/x\"}");
        assertThat(tls.status()).isEqualTo(CallResult.Status.FAILED);
        assertThat(tls.error()).contains("fetch failed").contains("403");

        assertThat(denials()).extracting(e -> e.path("details").path("method").asText() + " "
                + e.path("details").path("host").asText() + " " + e.path("details").path("connector_id").asText())
            .containsExactly("GET blocked.example connector.test", "CONNECT blocked.example connector.test");
    }

    @Test
    void should_let_an_allowed_host_through_and_recheck_each_redirect() throws IOException {
        CallResult ok = call("test.fetch@v1", "{\"url\":\"" + base + "/hello\"}");
        assertThat(ok.output().path("text").asText()).isEqualTo("200 hello from loopback");

        CallResult redirected = call("test.fetch@v1", "{\"url\":\"" + base + "/redirect\"}");
        assertThat(redirected.output().path("text").asText()).startsWith("403 cloned egress guard")
            .contains("localhost");
        assertThat(denials()).extracting(e -> e.path("details").path("host").asText()).containsExactly("localhost");
    }

    @Test
    void should_fail_the_in_flight_call_cleanly_and_restart_when_the_process_dies() throws Exception {
        assertThat(call("test.echo@v1", "{\"text\":\"warm up\"}").status()).isEqualTo(CallResult.Status.SUCCEEDED);
        ProcessHandle first = gw.connectors().process(TestPackages.ID).orElseThrow();
        CountDownLatch sent = new CountDownLatch(1);
        gw.connectors().onCallStarted((c, t) -> {
            if (t.equals("test.block@v1")) {
                sent.countDown();
            }
        });
        CompletableFuture<CallResult> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return call("test.block@v1", "{}");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(sent.await(30, TimeUnit.SECONDS)).isTrue();
        first.destroyForcibly();

        CallResult r = blocked.get(60, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(CallResult.Status.FAILED);
        assertThat(r.error()).startsWith("connector_failed: the process of connector connector.test")
            .contains("exited during the call to test.block");

        CallResult again = call("test.echo@v1", "{\"text\":\"back\"}");
        assertThat(again.status()).as(String.valueOf(again.error())).isEqualTo(CallResult.Status.SUCCEEDED);
        assertThat(gw.connectors().process(TestPackages.ID).orElseThrow().pid()).isNotEqualTo(first.pid());
        gw.audit().close();
        assertThat(audit()).anySatisfy(e -> {
            assertThat(e.path("tool_id").asText()).isEqualTo("test.block");
            assertThat(e.path("outcome").asText()).isEqualTo("failure");
            assertThat(e.path("error").asText()).contains("connector_failed");
        });
    }

    @Test
    void should_stop_the_process_and_remove_its_tools_when_disabled() throws IOException {
        assertThat(call("test.echo@v1", "{\"text\":\"x\"}").status()).isEqualTo(CallResult.Status.SUCCEEDED);
        ProcessHandle p = gw.connectors().process(TestPackages.ID).orElseThrow();
        CallResult off = call(ConnectorTools.DISABLE, "{\"id\":\"connector.test\"}");
        assertThat(off.status()).as(String.valueOf(off.error())).isEqualTo(CallResult.Status.SUCCEEDED);
        assertThat(p.onExit()).succeedsWithin(java.time.Duration.ofSeconds(30));
        assertThat(gw.tools().find("test.echo@v1")).isEmpty();
        assertThat(call("test.echo@v1", "{\"text\":\"x\"}").code()).isEqualTo("unknown_tool");
        assertThat(gw.installer().registry().find(TestPackages.ID).orElseThrow().enabled()).isFalse();
    }

    @Test
    void should_need_an_approval_to_enable_when_the_pack_requires_one_for_medium_risk() throws IOException {
        gw.connectors().disable(TestPackages.ID);
        CallResult r = call(ConnectorTools.ENABLE, "{\"id\":\"connector.test\"}");
        assertThat(r.status()).isEqualTo(CallResult.Status.PENDING_APPROVAL);
        assertThat(gw.tools().find("test.echo@v1")).isEmpty();
    }

    @Test
    void should_never_show_the_injected_secret_when_the_connector_echoes_it() throws IOException {
        CallResult r = call("test.env@v1", "{\"name\":\"CANARY_VALUE\"}");
        assertThat(r.status()).as(String.valueOf(r.error())).isEqualTo(CallResult.Status.SUCCEEDED);
        assertThat(r.output().path("text").asText()).startsWith("[REDACTED:secret#");
        assertThat(Views.callResult(r).toString()).doesNotContain(CANARY);
        gw.close();
        assertThat(Files.readString(ws.auditLog())).doesNotContain(CANARY);
        assertThat(new String(Files.readAllBytes(ws.stateDb()), StandardCharsets.ISO_8859_1)).doesNotContain(CANARY);
        gw = ClonedGateway.open(ws, Clock.systemUTC(), Environment.of(Map.of()));
    }
}
