package dev.cloned.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.tools.RegisteredTool;
import dev.cloned.runtime.tools.ToolDescriptor;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /mcp} over real HTTP: the listening stream of a Streamable HTTP session, its session and protocol
 * header rules, and {@code notifications/tools/list_changed} when the registry or the pack changes what
 * {@code tools/list} shows — once per change.
 */
@ExtendWith(VertxExtension.class)
class McpStreamTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String LIST_CHANGED = "notifications/tools/list_changed";
    @TempDir
    Path root;
    GatewayFixture f;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        f = new GatewayFixture(vertx, root);
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    private HttpRequest.Builder mcp(String session) {
        HttpRequest.Builder b = f.request("/mcp").header("Authorization", "Bearer " + f.token);
        return session == null ? b : b.header("Mcp-Session-Id", session);
    }

    private HttpResponse<String> rpc(String session, String body) throws Exception {
        return f.send(mcp(session).header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** initialize + notifications/initialized; returns the session id. */
    private String initialize() throws Exception {
        HttpResponse<String> init = rpc(null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
            + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw-http\",\"version\":\"1\"}}}");
        assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
        assertThat(GatewayFixture.json(init).path("result").path("capabilities").path("tools").path("listChanged")
            .asBoolean()).as("tools.listChanged advertised").isTrue();
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        assertThat(rpc(session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").statusCode()).isEqualTo(202);
        return session;
    }

    private SseLines listen(String session) throws Exception {
        HttpResponse<InputStream> r = f.client.send(mcp(session).header("Accept", "text/event-stream").GET().build(),
            HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        return new SseLines(r.body());
    }

    private List<String> toolNames(String session) throws Exception {
        HttpResponse<String> r = rpc(session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
        List<String> names = new ArrayList<>();
        GatewayFixture.json(r).path("result").path("tools").forEach(t -> names.add(t.path("name").asText()));
        return names;
    }

    private static RegisteredTool tool(String id, String connector) throws Exception {
        JsonNode schema = CanonicalJson.MAPPER.readTree("{\"type\":\"object\"}");
        return new RegisteredTool(new ToolDescriptor(id, id, connector, "cloned.official", List.of("util.echo"), "low",
            null, null, null, schema), (in, ctx) -> in);
    }

    private static String method(String data) throws Exception {
        return CanonicalJson.MAPPER.readTree(data).path("method").asText();
    }

    private void overlay(String yaml) throws Exception {
        Files.writeString(f.gw.workspace().policyDir().resolve("policy.personal.default.yaml"), yaml);
        f.gw.policy().reload();
    }

    @Test
    void should_send_tools_list_changed_on_the_get_stream_when_a_tool_is_registered() throws Exception {
        String session = initialize();
        assertThat(toolNames(session)).doesNotContain("test.live.one__v1");
        try (SseLines stream = listen(session)) {
            f.gw.tools().register(tool("test.live.one@v1", "test.live"));

            assertThat(method(stream.nextData(WAIT))).isEqualTo(LIST_CHANGED);
            assertThat(toolNames(session)).contains("test.live.one__v1");
        }
    }

    @Test
    void should_notify_once_when_a_connector_brings_several_tools_and_not_when_the_pack_change_hides_nothing()
        throws Exception {
        String session = initialize();
        SseLines stream = listen(session);
        overlay("allowlists:\n  egress_domains: [example.org]\n"); // a new pack, the same list
        f.gw.tools().replaceConnector("test.live", List.of(tool("test.live.a@v1", "test.live"),
            tool("test.live.b@v1", "test.live"), tool("test.live.c@v1", "test.live")));

        assertThat(f.send(mcp(session).DELETE()).statusCode()).isEqualTo(200);
        List<String> events = stream.remainingData(WAIT); // DELETE ends the stream after what was sent before
        assertThat(events).hasSize(1);
        assertThat(method(events.get(0))).isEqualTo(LIST_CHANGED);
    }

    @Test
    void should_notify_and_hide_the_tool_when_a_pack_reload_denies_it() throws Exception {
        String session = initialize();
        assertThat(toolNames(session)).contains("cloned.internal.echo__v1");
        try (SseLines stream = listen(session)) {
            overlay("denylists:\n  tools: [cloned.internal.echo@v1]\n");

            assertThat(method(stream.nextData(WAIT))).isEqualTo(LIST_CHANGED);
            assertThat(toolNames(session)).doesNotContain("cloned.internal.echo__v1");
        }
    }

    @Test
    void should_deliver_a_change_made_before_the_stream_opened_when_the_session_opens_it() throws Exception {
        String session = initialize();
        f.gw.tools().register(tool("test.live.early@v1", "test.live"));
        f.gw.tools().register(tool("test.live.later@v1", "test.live"));
        try (SseLines stream = listen(session)) {
            assertThat(method(stream.nextData(WAIT))).as("kept once for the session").isEqualTo(LIST_CHANGED);
            assertThat(f.send(mcp(session).DELETE()).statusCode()).isEqualTo(200);
            assertThat(stream.remainingData(WAIT)).as("coalesced: one notification").isEmpty();
        }
    }

    @Test
    void should_run_more_concurrent_tool_calls_than_a_blocking_pool_per_core_would_allow() throws Exception {
        int calls = 24; // the SDK's sync server ran each call on Reactor's bounded elastic pool: 10 threads per core
        java.util.concurrent.CountDownLatch all = new java.util.concurrent.CountDownLatch(calls);
        JsonNode schema = CanonicalJson.MAPPER.readTree("{\"type\":\"object\"}");
        f.gw.tools().register(new RegisteredTool(new ToolDescriptor("test.live.gather@v1", "waits for the others",
            "test.live", "cloned.official", List.of("util.echo"), "low", null, null, null, schema), (in, ctx) -> {
                all.countDown();
                boolean met = all.await(30, java.util.concurrent.TimeUnit.SECONDS);
                return CanonicalJson.MAPPER.createObjectNode().put("met", met);
            }));
        String session = initialize();
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            sent.add(f.client.sendAsync(mcp(session).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(
                    "{\"jsonrpc\":\"2.0\",\"id\":" + (10 + i) + ",\"method\":\"tools/call\",\"params\":{"
                        + "\"name\":\"test.live.gather__v1\",\"arguments\":{}}}")).build(),
                HttpResponse.BodyHandlers.ofString()));
        }
        for (java.util.concurrent.CompletableFuture<HttpResponse<String>> c : sent) {
            HttpResponse<String> r = c.get(60, java.util.concurrent.TimeUnit.SECONDS);
            JsonNode result = GatewayFixture.json(r).path("result");
            assertThat(result.path("isError").asBoolean()).as(r.body()).isFalse();
            assertThat(result.path("structuredContent").path("met").asBoolean())
                .as("every call was running at once: %s", r.body()).isTrue();
        }
    }

    @Test
    void should_answer_errors_when_get_lacks_a_token_a_session_or_the_event_stream_accept_header() throws Exception {
        String session = initialize();
        HttpResponse<String> anonymous = f.send(f.request("/mcp").header("Accept", "text/event-stream")
            .header("Mcp-Session-Id", session).GET());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(f.send(mcp(null).header("Accept", "text/event-stream").GET()).statusCode()).isEqualTo(400);
        assertThat(f.send(mcp("no-such-session").header("Accept", "text/event-stream").GET()).statusCode()).isEqualTo(404);
        assertThat(f.send(mcp(session).header("Accept", "application/json").GET()).statusCode()).isEqualTo(406);
        HttpResponse<String> version = f.send(mcp(session).header("Accept", "text/event-stream")
            .header("MCP-Protocol-Version", "1999-01-01").GET());
        assertThat(version.statusCode()).isEqualTo(400);
        assertThat(GatewayFixture.json(version).path("error").path("message").asText()).contains("1999-01-01");
        HttpResponse<String> put = f.send(mcp(session).PUT(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Allow")).hasValue("GET, POST, DELETE");
    }

    @Test
    void should_end_the_stream_and_refuse_the_session_when_it_is_deleted() throws Exception {
        String session = initialize();
        SseLines stream = listen(session);
        assertThat(f.http.mcpTransport().streamCount()).isEqualTo(1);

        assertThat(f.send(mcp(session).DELETE()).statusCode()).isEqualTo(200);

        assertThat(stream.remainingData(WAIT)).isEmpty();
        assertThat(f.send(mcp(session).header("Accept", "text/event-stream").GET()).statusCode()).isEqualTo(404);
    }
}
