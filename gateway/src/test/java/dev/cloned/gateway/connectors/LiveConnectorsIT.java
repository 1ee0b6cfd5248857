package dev.cloned.gateway.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.gateway.http.HttpGateway;
import dev.cloned.gateway.mcp.NodeClient;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.WorkspaceInit;
import dev.cloned.runtime.audit.AuditVerifier;
import dev.cloned.runtime.connectors.PublisherKeys;
import dev.cloned.runtime.connectors.TrustStore;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connector changes made by another process reach a running gateway without a restart: the gateway serves a
 * workspace in this JVM (HTTP API and {@code /mcp}, watching the registry as {@code cloned serve} does), and a second
 * JVM enables, disables and removes the signed test connector the way {@code cloned connectors} does. The HTTP API,
 * a real call to the connector's process and the official MCP TypeScript SDK client see each change.
 */
@ExtendWith(VertxExtension.class)
class LiveConnectorsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ECHO_MCP = "test.echo__v1";
    @TempDir
    Path root;
    Workspace ws;
    ClonedGateway gw;
    HttpGateway http;
    ConnectorWatcher watcher;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        ws = Workspace.at(root.resolve("ws"));
        new WorkspaceInit(ws, Clock.systemUTC()).run("personal", false);
        Files.writeString(ws.policyDir().resolve("policy.personal.default.yaml"),
            "allowlists:\n  publishers: [test.publisher]\n");
        Path pkg = TestPackages.build(root, ws.dir(), Map.of());
        gw = ClonedGateway.open(ws, Clock.systemUTC());
        gw.installer().install(pkg); // installed and disabled, as `cloned connectors install` leaves it
        http = HttpGateway.start(vertx, gw, HttpGateway.Options.of("127.0.0.1", 0), Clock.systemUTC())
            .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        watcher = gw.watchConnectors(Duration.ofMillis(100));
    }

    @AfterEach
    void stop() throws Exception {
        watcher.close();
        http.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        gw.close();
    }

    private JsonNode send(HttpRequest.Builder b) throws Exception {
        HttpResponse<String> r = client.send(b.header("Authorization", "Bearer " + http.bootstrapToken())
            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        return CanonicalJson.MAPPER.readTree(r.body());
    }

    private JsonNode connector() throws Exception {
        JsonNode all = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/v1/connectors")).GET());
        for (JsonNode c : all.path("connectors")) {
            if (TestPackages.ID.equals(c.path("id").asText())) {
                return c;
            }
        }
        return CanonicalJson.MAPPER.createObjectNode().put("installed", false);
    }

    /** Polls {@code GET /v1/connectors} until the test connector's view satisfies {@code condition} (bounded). */
    private JsonNode awaitConnector(Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode c = connector();
        while (!condition.test(c)) {
            assertThat(System.nanoTime()).as("connector view never got there; last: " + c).isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            c = connector();
        }
        return c;
    }

    private JsonNode callEcho(String text) throws Exception {
        String csrf = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/v1/auth/session")).GET())
            .path("csrf_token").asText();
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/v1/tool-calls"))
            .header("Content-Type", "application/json").header("X-CSRF-Token", csrf).POST(HttpRequest.BodyPublishers.ofString(
                "{\"tool_id\":\"test.echo@v1\",\"input\":{\"text\":\"" + text + "\"}}")));
    }

    /**
     * The {@code connector.reloaded} entries, once there are at least {@code count} (bounded). A reconcile changes
     * the registered tools before it appends its entry, so a test that saw the tools change polls for the entry.
     */
    private List<JsonNode> reloaded(int count) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            gw.audit().awaitFlushed();
            List<JsonNode> out = new ArrayList<>();
            for (String line : Files.readAllLines(ws.auditLog())) {
                JsonNode e = CanonicalJson.MAPPER.readTree(line);
                if ("connector.reloaded".equals(e.path("event").asText())) {
                    out.add(e);
                }
            }
            if (out.size() >= count) {
                return out;
            }
            assertThat(System.nanoTime()).as("only " + out.size() + " connector.reloaded entries; expected "
                + count).isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    @Test
    void should_register_run_and_unregister_the_tools_when_another_process_enables_disables_and_removes_it()
        throws Exception {
        assertThat(connector().path("enabled").asBoolean()).isFalse();
        assertThat(callEcho("before").path("code").asText()).isEqualTo("unknown_tool");

        OtherProcess.run(ws.root(), "enable", TestPackages.ID);
        JsonNode enabled = awaitConnector(c -> c.path("tools_registered").asInt() == TestPackages.TOOLS);
        assertThat(enabled.path("enabled").asBoolean()).isTrue();
        JsonNode call = callEcho("live");
        assertThat(call.path("status").asText()).as(call.toString()).isEqualTo("succeeded");
        assertThat(call.path("output").path("text").asText()).isEqualTo("live");
        assertThat(gw.connectors().process(TestPackages.ID)).as("the connector's process runs").isPresent();

        OtherProcess.run(ws.root(), "disable", TestPackages.ID);
        awaitConnector(c -> c.path("tools_registered").asInt() == 0 && !c.path("enabled").asBoolean());
        assertThat(gw.connectors().process(TestPackages.ID)).as("its process is stopped").isEmpty();
        assertThat(callEcho("after").path("code").asText()).isEqualTo("unknown_tool");

        OtherProcess.run(ws.root(), "enable", TestPackages.ID);
        awaitConnector(c -> c.path("tools_registered").asInt() == TestPackages.TOOLS);
        OtherProcess.run(ws.root(), "remove", TestPackages.ID);
        awaitConnector(c -> c.has("installed"));
        assertThat(gw.tools().all()).noneMatch(t -> TestPackages.ID.equals(t.descriptor().connectorId()));

        List<JsonNode> changes = reloaded(4);
        assertThat(changes).extracting(e -> e.path("details").path("change").asText())
            .containsExactly("enabled", "disabled", "enabled", "removed");
        assertThat(changes.get(0).path("actor").asText()).isEqualTo(ClonedGateway.CONNECTORS_ACTOR);
        assertThat(changes.get(0).path("details").path("tools").toString()).contains("test.echo@v1");
        assertThat(AuditVerifier.verify(ws.auditLog()).ok()).isTrue();
    }

    @Test
    void should_stop_offering_the_tools_when_the_publisher_key_is_revoked_while_serving() throws Exception {
        gw.connectors().enable(TestPackages.ID);
        assertThat(connector().path("tools_registered").asInt()).isEqualTo(TestPackages.TOOLS);
        String key = CanonicalJson.MAPPER.readTree(ws.dir().resolve("trust/publishers/" + TestPackages.PUBLISHER + ".json")
            .toFile()).path("public_key").asText();
        Files.writeString(new TrustStore(ws.dir()).revocationsFile(), "{\"revoked_keys\":[{\"fingerprint\":\""
            + PublisherKeys.fingerprint(PublisherKeys.publicKey(key)) + "\",\"reason\":\"leaked\"}]}");

        awaitConnector(c -> c.path("tools_registered").asInt() == 0);

        JsonNode rejected = reloaded(1).get(0).path("details");
        assertThat(rejected.path("change").asText()).isEqualTo("rejected");
        assertThat(rejected.path("code").asText()).isEqualTo("publisher_untrusted");
        assertThat(rejected.path("reason").asText()).contains("revoked");
    }

    @Test
    void should_stop_offering_the_tools_when_the_overlay_no_longer_allows_the_publisher() throws Exception {
        gw.connectors().enable(TestPackages.ID);
        Files.writeString(ws.policyDir().resolve("policy.personal.default.yaml"), "allowlists:\n  publishers: []\n");

        awaitConnector(c -> c.path("tools_registered").asInt() == 0);

        JsonNode rejected = reloaded(1).get(0).path("details");
        assertThat(rejected.path("change").asText()).isEqualTo("rejected");
        assertThat(rejected.path("code").asText()).isEqualTo("publisher_untrusted");
    }

    @Test
    void should_send_tools_list_changed_to_the_ts_sdk_client_when_another_process_enables_then_disables_it()
        throws Exception {
        NodeClient.install();
        ObjectNode cfg = CanonicalJson.MAPPER.createObjectNode().put("url", "http://127.0.0.1:" + http.port() + "/mcp")
            .put("token", http.bootstrapToken()).put("timeout_ms", WAIT.toMillis() * 2);
        cfg.putArray("steps").add(CanonicalJson.MAPPER.createObjectNode().put("present", ECHO_MCP))
            .add(CanonicalJson.MAPPER.createObjectNode().put("absent", ECHO_MCP));
        Process node = new ProcessBuilder("node", "watch-tools.mjs", CanonicalJson.write(cfg))
            .directory(NodeClient.project().toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                r.lines().forEach(lines::add);
            } catch (java.io.IOException e) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            JsonNode ready = CanonicalJson.MAPPER.readTree(next(lines));
            assertThat(ready.path("stage").asText()).isEqualTo("ready");
            assertThat(ready.path("list_changed").asBoolean()).as("tools.listChanged advertised").isTrue();
            assertThat(ready.path("tools").toString()).contains("cloned.internal.echo__v1").doesNotContain(ECHO_MCP);

            OtherProcess.run(ws.root(), "enable", TestPackages.ID);
            JsonNode added = CanonicalJson.MAPPER.readTree(next(lines));
            assertThat(added.path("index").asInt()).isZero();
            assertThat(added.path("tools").toString()).contains(ECHO_MCP, "test.fetch__v1");
            assertThat(added.path("notifications").asInt()).isPositive();

            OtherProcess.run(ws.root(), "disable", TestPackages.ID);
            JsonNode removed = CanonicalJson.MAPPER.readTree(next(lines));
            assertThat(removed.path("index").asInt()).isEqualTo(1);
            assertThat(removed.path("tools").toString()).doesNotContain(ECHO_MCP).contains("cloned.internal.echo__v1");

            assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(node.exitValue()).isZero();
        } finally {
            node.destroy();
        }
    }

    private static String next(BlockingQueue<String> lines) throws InterruptedException {
        String line = lines.poll(WAIT.toSeconds() * 2, TimeUnit.SECONDS);
        assertThat(line).as("the TypeScript client reported nothing in time").isNotNull();
        return line;
    }
}
