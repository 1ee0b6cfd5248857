package dev.cloned.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.error.ClonedException;
import dev.cloned.gateway.auth.AuthFailures;
import dev.cloned.gateway.auth.Sessions;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.concurrent.ExecutionException;

import static dev.cloned.gateway.http.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every security rule over real HTTP: headers, tokens, CSRF, Origin/Host, rate limit, pairing, bind refusal. */
@ExtendWith(VertxExtension.class)
class HttpSecurityTest {
    private static final String ECHO = "{\"tool_id\":\"cloned.internal.echo@v1\",\"input\":{}}";
    @TempDir
    Path root;
    GatewayFixture f;
    Vertx vertx;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        this.vertx = vertx;
        f = new GatewayFixture(vertx, root);
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    private HttpRequest.Builder anonymous(String path) {
        return f.request(path).GET();
    }

    @Test
    void should_set_security_headers_when_answering_anything() throws Exception {
        for (HttpResponse<String> r : new HttpResponse[] {f.send(f.get("/v1/workspace")), f.send(anonymous("/v1/budgets")),
            f.send(f.get("/v1/nope")), f.send(f.request("/openapi.yaml").GET())}) {
            assertThat(r.headers().firstValue("Content-Security-Policy")).hasValue(SecurityHeaders.CSP);
            assertThat(SecurityHeaders.CSP).doesNotContain("unsafe-inline");
            assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
            assertThat(r.headers().firstValue("Cross-Origin-Opener-Policy")).hasValue("same-origin");
            assertThat(r.headers().firstValue("Cross-Origin-Resource-Policy")).hasValue("same-origin");
        }
    }

    @Test
    void should_answer_401_problem_when_no_or_a_wrong_token_is_sent() throws Exception {
        HttpResponse<String> r = f.send(anonymous("/v1/workspace"));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json(r).path("code").asText()).isEqualTo("unauthorized");
        assertThat(f.send(anonymous("/mcp").header("Authorization", "Bearer nope")).statusCode()).isEqualTo(401);
    }

    @Test
    void should_answer_429_with_retry_after_when_the_tenth_failure_in_a_row_comes() throws Exception {
        for (int i = 1; i < AuthFailures.LIMIT; i++) {
            assertThat(f.send(anonymous("/v1/workspace").header("Authorization", "Bearer bad" + i)).statusCode())
                .as("attempt " + i).isEqualTo(401);
        }
        HttpResponse<String> tenth = f.send(anonymous("/v1/workspace").header("Authorization", "Bearer bad10"));
        assertThat(tenth.statusCode()).isEqualTo(429);
        assertThat(tenth.headers().firstValue("Retry-After")).hasValue("60");
        assertThat(json(tenth).path("code").asText()).isEqualTo("rate_limited");
        // locked out: even the right token waits until the lockout ends
        assertThat(f.send(f.get("/v1/workspace")).statusCode()).isEqualTo(429);
        f.clock.advance(AuthFailures.LOCKOUT);
        assertThat(f.send(f.get("/v1/workspace")).statusCode()).isEqualTo(200);
    }

    @Test
    void should_reset_the_failure_count_when_a_request_succeeds() throws Exception {
        for (int i = 0; i < 2 * AuthFailures.LIMIT; i++) {
            f.send(anonymous("/v1/workspace").header("Authorization", "Bearer bad"));
            if (i % 5 == 4) {
                assertThat(f.send(f.get("/v1/workspace")).statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void should_refuse_a_post_when_the_csrf_token_is_missing_or_wrong() throws Exception {
        HttpRequest.Builder noCsrf = f.request("/v1/tool-calls").header("Authorization", "Bearer " + f.token)
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(ECHO));
        HttpResponse<String> r = f.send(noCsrf);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(json(r).path("detail").asText()).contains("X-CSRF-Token");
        assertThat(f.send(f.post("/v1/tool-calls", ECHO).setHeader("X-CSRF-Token", "wrong")).statusCode()).isEqualTo(403);
        assertThat(f.send(f.post("/v1/tool-calls", ECHO)).statusCode()).isEqualTo(200);
    }

    @Test
    void should_refuse_a_request_when_origin_or_host_is_not_allowed() throws Exception {
        assertThat(f.send(f.get("/v1/workspace").header("Origin", "https://evil.example")).statusCode()).isEqualTo(403);
        assertThat(f.send(f.get("/v1/workspace").header("Origin", "http://localhost:5173")).statusCode()).isEqualTo(200);
        // a raw HTTP/1.1 request: the JDK client will not send a foreign Host header
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", f.http.port())) {
            socket.getOutputStream().write(("GET /v1/workspace HTTP/1.1\r\nHost: attacker.example\r\nAuthorization: Bearer "
                + f.token + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 403").contains("Host 'attacker.example' is not allowed");
        }
        assertThat(rawGet("[::1]:" + f.http.port())).startsWith("HTTP/1.1 200");
        assertThat(rawGet("LOCALHOST")).startsWith("HTTP/1.1 200");
        assertThat(rawGet("127.0.0.1.attacker.example:80")).startsWith("HTTP/1.1 403");
    }

    private String rawGet(String host) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", f.http.port())) {
            socket.getOutputStream().write(("GET /v1/workspace HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer "
                + f.token + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void should_refuse_to_start_when_the_host_is_not_loopback_and_no_device_is_paired() {
        assertThatThrownBy(() -> HttpGateway.start(vertx, f.gw, HttpGateway.Options.of("0.0.0.0", 0), f.clock)
            .toCompletionStage().toCompletableFuture().get())
            .isInstanceOf(ExecutionException.class).cause().isInstanceOf(ClonedException.class)
            .hasMessageContaining("refusing to listen on 0.0.0.0");
    }

    @Test
    void should_pair_issue_scoped_tokens_and_revoke_when_a_device_signs_and_is_approved() throws Exception {
        KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String pub = Base64.getEncoder().encodeToString(kp.getPublic().getEncoded());
        String nonce = challenge();
        HttpResponse<String> req = f.send(publicPost("/v1/pair/requests", "{\"name\":\"laptop\",\"public_key\":\"" + pub
            + "\",\"nonce\":\"" + nonce + "\",\"signature\":\"" + sign(kp, nonce) + "\",\"scopes\":[\"read\"]}"));
        assertThat(req.statusCode()).isEqualTo(202);
        JsonNode device = json(req);
        assertThat(device.path("status").asText()).isEqualTo("pending");
        String id = device.path("id").asText();

        assertThat(token(kp, id).statusCode()).as("pending devices get no token").isEqualTo(403);
        assertThat(f.send(f.post("/v1/devices/" + id + "/approve", "")).statusCode()).isEqualTo(200);
        HttpResponse<String> issued = token(kp, id);
        assertThat(issued.statusCode()).isEqualTo(200);
        String deviceToken = json(issued).path("access_token").asText();
        String csrf = json(issued).path("csrf_token").asText();

        assertThat(f.send(f.get("/v1/workspace")).statusCode()).as("bootstrap ends once a device is approved").isEqualTo(401);
        HttpRequest.Builder read = f.request("/v1/workspace").header("Authorization", "Bearer " + deviceToken).GET();
        assertThat(f.send(read).statusCode()).isEqualTo(200);
        HttpResponse<String> call = f.send(f.request("/v1/tool-calls").header("Authorization", "Bearer " + deviceToken)
            .header("X-CSRF-Token", csrf).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(ECHO)));
        assertThat(call.statusCode()).as("a read-only device cannot call tools").isEqualTo(403);
        assertThat(json(call).path("detail").asText()).contains("'call' scope");
        HttpResponse<String> fix = f.send(f.request("/v1/doctor/fix").header("Authorization", "Bearer " + deviceToken)
            .header("X-CSRF-Token", csrf).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"dry_run\":true}")));
        assertThat(fix.statusCode()).as("doctor fixes change the workspace: admin only").isEqualTo(403);
        assertThat(json(fix).path("detail").asText()).contains("'admin' scope");

        f.clock.advance(Sessions.TOKEN_TTL);
        assertThat(f.send(read).statusCode()).as("tokens are short-lived").isEqualTo(401);
        String again = json(token(kp, id)).path("access_token").asText();
        f.http.stop().toCompletionStage().toCompletableFuture().get(); // revoke through the CLI's registry
        new dev.cloned.gateway.auth.DeviceRegistry(f.gw.workspace(), f.clock).revoke(id);
        assertThat(again).isNotBlank();
        f.gw.close();
        f = new GatewayFixture(vertx, root, HttpGateway.Options.of("127.0.0.1", 0), true);
        assertThat(f.send(f.request("/v1/workspace").header("Authorization", "Bearer " + again).GET()).statusCode())
            .isEqualTo(401);
        assertThat(token(kp, id).statusCode()).isEqualTo(403);
    }

    @Test
    void should_refuse_pairing_when_the_signature_or_nonce_is_wrong() throws Exception {
        KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String pub = Base64.getEncoder().encodeToString(kp.getPublic().getEncoded());
        String nonce = challenge();
        HttpResponse<String> bad = f.send(publicPost("/v1/pair/requests", "{\"name\":\"x\",\"public_key\":\"" + pub
            + "\",\"nonce\":\"" + nonce + "\",\"signature\":\"" + sign(other, nonce) + "\"}"));
        assertThat(bad.statusCode()).isEqualTo(401);
        HttpResponse<String> replayed = f.send(publicPost("/v1/pair/requests", "{\"name\":\"x\",\"public_key\":\"" + pub
            + "\",\"nonce\":\"" + nonce + "\",\"signature\":\"" + sign(kp, nonce) + "\"}"));
        assertThat(replayed.statusCode()).as("a nonce is single-use").isEqualTo(401);
    }

    private String challenge() throws Exception {
        return json(f.send(publicPost("/v1/pair/challenge", ""))).path("nonce").asText();
    }

    private HttpResponse<String> token(KeyPair kp, String id) throws Exception {
        String n = challenge();
        return f.send(publicPost("/v1/auth/token", "{\"device_id\":\"" + id + "\",\"nonce\":\"" + n
            + "\",\"signature\":\"" + sign(kp, n) + "\"}"));
    }

    private HttpRequest.Builder publicPost(String path, String body) {
        return f.request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static String sign(KeyPair kp, String nonce) throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(kp.getPrivate());
        s.update(nonce.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(s.sign());
    }
}
