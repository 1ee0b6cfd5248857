package dev.cloned.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.vault.DevVault;
import dev.cloned.runtime.vault.Environment;
import dev.cloned.runtime.vault.FakeKeyVaultServer;
import dev.cloned.runtime.vault.FileVault;
import dev.cloned.runtime.vault.TestCertificates;
import dev.cloned.runtime.vault.VaultConfig;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.cloned.gateway.http.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The canary, end to end through the HTTP gateway: a secret stored in each provider (dev, file, and azure against an
 * HTTPS Key Vault fake on 127.0.0.1) is handed to a real connector subprocess, which echoes it in every channel it
 * has (text, structured content, an error result, its stderr). Calls go through {@code POST /v1/tool-calls} and
 * {@code /mcp}; the read routes and the event stream are read too. The canary must appear in no response body or
 * header, no event, no log line, and no byte of the workspace ({@code audit.log}, {@code state.db}, ...).
 */
@ExtendWith(VertxExtension.class)
class GatewayCanaryTest {
    private static final String PASSPHRASE = "gateway canary passphrase";
    @TempDir
    static Path certDir;
    static TestCertificates certs;
    static FakeKeyVaultServer azure;
    @TempDir
    Path root;
    GatewayFixture f;
    LogCapture logs;

    @BeforeAll
    static void startAzure() throws Exception {
        certs = TestCertificates.create(certDir);
        azure = new FakeKeyVaultServer(certs);
    }

    @AfterAll
    static void stopAzure() {
        azure.close();
    }

    @BeforeEach
    void captureLogs() {
        azure.reset();
        logs = LogCapture.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (f != null) {
            f.close();
        }
        logs.stop();
    }

    private static VaultConfig config(String provider) {
        switch (provider) {
            case "dev":
                return VaultConfig.dev();
            case "file":
                return VaultConfig.file().with(VaultConfig.KDF_ITERATIONS, String.valueOf(FileVault.MIN_ITERATIONS));
            default:
                return VaultConfig.azure(azure.url()).with(VaultConfig.CA_FILE, certs.pem.toString())
                    .with(VaultConfig.VERIFY_CHALLENGE_RESOURCE, "false").with(VaultConfig.MAX_RETRIES, "0");
        }
    }

    private static Environment env() {
        return Environment.of(Map.of(FileVault.DEFAULT_PASSPHRASE_ENV, PASSPHRASE,
            "AZURE_TENANT_ID", FakeKeyVaultServer.TENANT, "AZURE_CLIENT_ID", FakeKeyVaultServer.CLIENT_ID,
            "AZURE_CLIENT_SECRET", FakeKeyVaultServer.CLIENT_SECRET, "AZURE_AUTHORITY_HOST", azure.url()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev", "file", "azure"})
    void should_never_show_the_canary_when_connector_calls_use_it_through_the_gateway(String provider, Vertx vertx)
        throws Exception {
        String id = UUID.randomUUID().toString();
        String canary = "canary-" + id + "/\"q\"+&x"; // JSON-escaped and URL-encoded forms differ from the raw one
        ConnectorWorkspace.create(root, config(provider), env(), canary);
        f = new GatewayFixture(vertx, root, HttpGateway.Options.of("127.0.0.1", 0), false, env());
        List<String> seen = new ArrayList<>();
        Events events = Events.subscribe(f);

        JsonNode echoed = json(call(seen, "test.env@v1", "{\"name\":\"CANARY_VALUE\"}", 200));
        assertThat(echoed.path("output").path("text").asText()).startsWith("[REDACTED:secret#");
        JsonNode leaked = json(call(seen, "test.leak@v1", "{\"name\":\"CANARY_VALUE\"}", 200));
        assertThat(leaked.path("output").path("text").asText()).startsWith("value=[REDACTED:secret#");
        assertThat(leaked.path("output").path("structured").path("value").asText()).startsWith("[REDACTED:secret#");
        assertThat(leaked.path("output").path("structured").path("nested").path("list").get(0).asText())
            .startsWith("[REDACTED:secret#");
        JsonNode failed = json(call(seen, "test.leak@v1", "{\"name\":\"CANARY_VALUE\",\"fail\":true}", 200));
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("error").asText()).contains("failed with [REDACTED:secret#");
        call(seen, "test.env@v1", "{\"name\":\"CANARY_VALUE\"}", true);

        McpSyncClient mcp = ConnectorWorkspace.mcp(f);
        try {
            for (Map<String, Object> args : List.<Map<String, Object>>of(Map.of("name", "CANARY_VALUE"),
                Map.of("name", "CANARY_VALUE", "fail", true))) {
                McpSchema.CallToolResult m = mcp.callTool(McpSchema.CallToolRequest.builder("test.leak__v1")
                    .arguments(args).build());
                seen.add("mcp " + m + " " + CanonicalJson.MAPPER.writeValueAsString(m));
            }
            seen.add("mcp tools " + mcp.listTools());
        } finally {
            mcp.closeGracefully();
        }

        for (String path : List.of("/v1/workspace", "/v1/audit?limit=1000", "/v1/audit/verify", "/v1/runs",
            "/v1/budgets", "/v1/vault", "/v1/connectors", "/v1/doctor", "/v1/approvals", "/v1/firewall")) {
            HttpResponse<String> r = f.send(f.get(path));
            assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
            seen.add(describe(r));
        }
        JsonNode vault = json(f.send(f.get("/v1/vault")));
        assertThat(vault.path("reachable").asBoolean()).as(vault.toString()).isTrue();
        assertThat(vault.path("secrets").findValuesAsText("name")).contains("canary");
        JsonNode audit = json(f.send(f.get("/v1/audit?limit=1000")));
        assertThat(audit.path("entries").findValuesAsText("outcome")).contains("success", "failure", "dry_run");

        String stream = events.await(failed.path("call_id").asText());
        assertThat(stream).contains("event: outcome");
        logs.await("leak: [REDACTED:secret#");
        f.close();
        f = null;
        String log = logs.stop();

        assertThat(seen).isNotEmpty().allSatisfy(s -> assertThat(s).doesNotContain(id));
        assertThat(stream).doesNotContain(id);
        assertThat(log).contains("[connector.test] leak: [REDACTED:secret#").doesNotContain(id);
        Path cloned = root.resolve(".cloned");
        assertThat(cloned.resolve("audit.log")).exists();
        assertThat(cloned.resolve("state.db")).exists();
        try (Stream<Path> files = Files.walk(cloned)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                if (provider.equals("dev") && file.getFileName().toString().equals(DevVault.DEFAULT_FILE)) {
                    assertThat(bytes).as("the dev vault is plaintext by design").contains(id);
                } else {
                    assertThat(bytes).as(file.toString()).doesNotContain(id);
                }
            }
        }
    }

    private HttpResponse<String> call(List<String> seen, String tool, String input, int status) throws Exception {
        HttpResponse<String> r = f.send(f.post("/v1/tool-calls", "{\"tool_id\":\"" + tool + "\",\"input\":" + input + "}"));
        seen.add(describe(r));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return r;
    }

    private void call(List<String> seen, String tool, String input, boolean dryRun) throws Exception {
        HttpResponse<String> r = f.send(f.post("/v1/tool-calls", "{\"tool_id\":\"" + tool + "\",\"input\":" + input
            + ",\"dry_run\":" + dryRun + "}"));
        seen.add(describe(r));
        assertThat(json(r).path("status").asText()).as(r.body()).isEqualTo("dry_run");
    }

    private static String describe(HttpResponse<String> r) {
        return r.request().uri() + " " + r.statusCode() + " " + r.headers().map() + " " + r.body();
    }

    /** {@code GET /v1/events}, read on its own thread until the outcome of a given call has streamed. */
    private static final class Events {
        private final HttpResponse<InputStream> response;
        private final StringBuffer text = new StringBuffer();
        private final CompletableFuture<Void> done;
        private volatile String awaited = "\u0000";
        private final CompletableFuture<Void> seen = new CompletableFuture<>();

        private Events(HttpResponse<InputStream> response) {
            this.response = response;
            this.done = CompletableFuture.runAsync(this::read);
        }

        static Events subscribe(GatewayFixture f) throws Exception {
            HttpResponse<InputStream> r = f.client.send(f.get("/v1/events").build(),
                HttpResponse.BodyHandlers.ofInputStream());
            assertThat(r.statusCode()).isEqualTo(200);
            return new Events(r);
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    text.append(line).append('\n');
                    if (line.contains(awaited) && line.contains("\"kind\":\"outcome\"")) {
                        seen.complete(null);
                    }
                }
            } catch (IOException e) {
                // closed by await()
            }
        }

        /** Waits for the outcome event of {@code callId}, closes the stream and returns what it carried. */
        String await(String callId) throws Exception {
            awaited = callId;
            if (text.toString().lines().anyMatch(l -> l.contains(callId) && l.contains("\"kind\":\"outcome\""))) {
                seen.complete(null);
            }
            seen.get(30, TimeUnit.SECONDS);
            response.body().close();
            done.exceptionally(e -> null).get(30, TimeUnit.SECONDS);
            return text.toString();
        }
    }

    /** Everything written to {@code System.out} and {@code System.err} (where slf4j-simple logs), still passed on. */
    private static final class LogCapture extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final PrintStream out = System.out;
        private final PrintStream err = System.err;
        private final OutputStream target;

        private LogCapture(OutputStream target) {
            this.target = target;
        }

        static LogCapture start() {
            LogCapture c = new LogCapture(System.err);
            System.setErr(new PrintStream(c, true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(new Tee(c, System.out), true, StandardCharsets.UTF_8));
            return c;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            bytes.write(b);
            target.write(b);
            notifyAll();
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            bytes.write(b, off, len);
            target.write(b, off, len);
            notifyAll();
        }

        /** Waits until {@code text} was written (log lines of other threads arrive on their own time). */
        synchronized void await(String text) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!bytes.toString(StandardCharsets.UTF_8).contains(text)) {
                long left = end - System.nanoTime();
                assertThat(left).as("log line containing " + text).isPositive();
                wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
            }
        }

        /** Restores the streams; returns what was written. */
        synchronized String stop() {
            System.setErr(err);
            System.setOut(out);
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** Writes to the capture and to the original stream. */
    private static final class Tee extends OutputStream {
        private final LogCapture capture;
        private final OutputStream original;

        Tee(LogCapture capture, OutputStream original) {
            this.capture = capture;
            this.original = original;
        }

        @Override
        public void write(int b) throws IOException {
            synchronized (capture) {
                capture.bytes.write(b);
                capture.notifyAll();
            }
            original.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            synchronized (capture) {
                capture.bytes.write(b, off, len);
                capture.notifyAll();
            }
            original.write(b, off, len);
        }
    }
}
