package dev.cloned.gateway.connectors;

import dev.cloned.gateway.mcp.ProjectSchemaValidator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;

import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * A connector for tests, run as a real subprocess: echo, env (returns an environment variable, to prove secrets
 * are injected and redacted), leak (the same in every channel: stderr, text, structured content, error), env_names, block (never answers, to kill the process mid-call) and fetch (HTTP GET
 * through HTTP_PROXY, following redirects so that each hop passes the proxy).
 */
public final class TestConnectorServer {
    private TestConnectorServer() {
    }

    public static void main(String[] args) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        JacksonMcpJsonMapper json = new JacksonMcpJsonMapper(mapper);
        String text = "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}},\"required\":[\"text\"]}";
        String name = "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}},\"required\":[\"name\"]}";
        String leak = "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},\"fail\":{\"type\":\"boolean\"}},"
            + "\"required\":[\"name\"]}";
        String url = "{\"type\":\"object\",\"properties\":{\"url\":{\"type\":\"string\"}},\"required\":[\"url\"]}";
        String none = "{\"type\":\"object\"}";
        McpSyncServer server = McpServer.sync(new StdioServerTransportProvider(json)).serverInfo("test-connector", "1")
            .jsonMapper(json).jsonSchemaValidator(new ProjectSchemaValidator())
            .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
            .tools(List.of(
                tool(json, "test.echo", text, a -> ok(String.valueOf(a.get("text")))),
                tool(json, "test.env", name, a -> ok(String.valueOf(System.getenv(String.valueOf(a.get("name")))))),
                tool(json, "test.leak", leak, TestConnectorServer::leak),
                tool(json, "test.env_names", none, a -> ok(String.join(",", new TreeSet<>(System.getenv().keySet())))),
                tool(json, "test.block", none, a -> {
                    try {
                        new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return ok("unblocked");
                }),
                tool(json, "test.fetch", url, a -> fetch(String.valueOf(a.get("url"))))))
            .build();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        new CountDownLatch(1).await();
    }

    /** Every way a tool could leak an environment variable: stderr, text, structured content, an error result. */
    private static CallToolResult leak(Map<String, Object> a) {
        String value = String.valueOf(System.getenv(String.valueOf(a.get("name"))));
        System.err.println("leak: " + value);
        System.err.flush();
        if (Boolean.TRUE.equals(a.get("fail"))) {
            return CallToolResult.builder().addTextContent("failed with " + value).isError(true).build();
        }
        return CallToolResult.builder().addTextContent("value=" + value)
            .structuredContent(Map.of("value", value, "nested", Map.of("list", List.of(value)))).isError(false).build();
    }

    private static CallToolResult fetch(String url) {
        try {
            URI proxy = URI.create(System.getenv("HTTP_PROXY"));
            HttpClient http = HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress(proxy.getHost(), proxy.getPort())))
                .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
            return ok(r.statusCode() + " " + r.body().strip());
        } catch (Exception e) {
            return CallToolResult.builder().addTextContent("fetch failed: " + e).isError(true).build();
        }
    }

    private static SyncToolSpecification tool(JacksonMcpJsonMapper json, String name, String schema,
                                              Function<Map<String, Object>, CallToolResult> call) {
        McpSchema.Tool t = McpSchema.Tool.builder(name, json, schema).description(name).build();
        return SyncToolSpecification.builder().tool(t)
            .callHandler((ex, req) -> call.apply(req.arguments() == null ? Map.of() : req.arguments())).build();
    }

    private static CallToolResult ok(String s) {
        return CallToolResult.builder().addTextContent(s).isError(false).build();
    }
}
