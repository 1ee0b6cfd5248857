package dev.cloned.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.WorkspaceInit;
import dev.cloned.runtime.vault.Environment;
import io.vertx.core.Vertx;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A real gateway on a random loopback port over a fresh personal workspace, and a JDK HTTP client for it. */
final class GatewayFixture implements AutoCloseable {
    final TestClock clock = new TestClock();
    final ClonedGateway gw;
    final HttpGateway http;
    final String base;
    final String token;
    final String csrf;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    GatewayFixture(Vertx vertx, Path root, HttpGateway.Options options) throws Exception {
        this(vertx, root, options, false);
    }

    /** With {@code devicesPaired}, the bootstrap token is expected to be refused, so no CSRF token is fetched. */
    GatewayFixture(Vertx vertx, Path root, HttpGateway.Options options, boolean devicesPaired) throws Exception {
        this(vertx, root, options, devicesPaired, Environment.system());
    }

    /** With vault settings (passphrase, Azure credentials) read from {@code env}. */
    GatewayFixture(Vertx vertx, Path root, HttpGateway.Options options, boolean devicesPaired, Environment env)
        throws Exception {
        Workspace ws = Workspace.at(root);
        if (!ws.exists()) {
            new WorkspaceInit(ws, clock).run("personal", false);
        }
        gw = ClonedGateway.open(ws, clock, env);
        http = HttpGateway.start(vertx, gw, options, clock).toCompletionStage().toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + http.port();
        token = http.bootstrapToken();
        csrf = devicesPaired ? null : json(send(get("/v1/auth/session"))).path("csrf_token").asText();
    }

    GatewayFixture(Vertx vertx, Path root) throws Exception {
        this(vertx, root, HttpGateway.Options.of("127.0.0.1", 0));
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    }

    HttpRequest.Builder get(String path) {
        return request(path).header("Authorization", "Bearer " + token).GET();
    }

    HttpRequest.Builder post(String path, String body) {
        return request(path).header("Authorization", "Bearer " + token).header("X-CSRF-Token", csrf)
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    }

    HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return CanonicalJson.MAPPER.readTree(r.body());
    }

    @Override
    public void close() throws Exception {
        http.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        gw.close();
    }
}
