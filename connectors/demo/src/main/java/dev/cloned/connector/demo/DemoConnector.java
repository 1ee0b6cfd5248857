package dev.cloned.connector.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * The demo connector: an MCP server over stdio with three tools, {@code demo.echo}, {@code demo.word_count}
 * and {@code demo.fetch} (an HTTP GET through the proxy in {@code HTTP_PROXY}/{@code HTTPS_PROXY}, used to
 * show an egress denial). Run as {@code java -cp <jar + deps> dev.cloned.connector.demo.DemoConnector}.
 */
public final class DemoConnector {
    /** Server name announced to clients. */
    public static final String NAME = "cloned-demo-connector";
    /** Server version announced to clients. */
    public static final String VERSION = "1.0.0";

    private DemoConnector() {
    }

    /** Starts the server on stdin/stdout and serves until stdin closes. */
    public static void main(String[] args) throws InterruptedException {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        ObjectMapper mapper = new ObjectMapper();
        JacksonMcpJsonMapper json = new JacksonMcpJsonMapper(mapper);
        DemoTools tools = new DemoTools(System.getenv());
        McpSyncServer server = McpServer.sync(new StdioServerTransportProvider(json))
                .serverInfo(NAME, VERSION)
                .jsonMapper(json)
                .jsonSchemaValidator(new NetworkntSchemaValidator(mapper))
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(specs(json, tools))
                .build();
        // The transport reads stdin on its own threads; keep the JVM alive until the client goes away.
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        new CountDownLatch(1).await();
    }

    static List<SyncToolSpecification> specs(JacksonMcpJsonMapper json, DemoTools tools) {
        return List.of(
                tool(json, "demo.echo", "Returns the given text unchanged.",
                        "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}},\"required\":[\"text\"],\"additionalProperties\":false}",
                        a -> text(DemoTools.echo(String.valueOf(a.get("text"))))),
                tool(json, "demo.word_count", "Counts the words of a text.",
                        "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}},\"required\":[\"text\"],\"additionalProperties\":false}",
                        a -> {
                            int n = DemoTools.wordCount(String.valueOf(a.get("text")));
                            return CallToolResult.builder().addTextContent(String.valueOf(n))
                                    .structuredContent(Map.of("words", n)).isError(false).build();
                        }),
                tool(json, "demo.fetch", "Fetches a URL with HTTP GET (through the egress proxy) and returns status and the start of the body.",
                        "{\"type\":\"object\",\"properties\":{\"url\":{\"type\":\"string\",\"format\":\"uri\"}},\"required\":[\"url\"],\"additionalProperties\":false}",
                        a -> {
                            try {
                                Map<String, Object> r = tools.fetch(String.valueOf(a.get("url")));
                                return CallToolResult.builder().addTextContent("HTTP " + r.get("status") + "\n" + r.get("body"))
                                        .structuredContent(r).isError(false).build();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return error("interrupted");
                            } catch (Exception e) {
                                return error("fetch failed: " + e.getClass().getSimpleName()
                                        + (e.getMessage() == null ? "" : ": " + e.getMessage()));
                            }
                        }));
    }

    private static SyncToolSpecification tool(JacksonMcpJsonMapper json, String name, String description, String schema,
                                              Function<Map<String, Object>, CallToolResult> call) {
        McpSchema.Tool tool = McpSchema.Tool.builder(name, json, schema).description(description).build();
        return SyncToolSpecification.builder().tool(tool)
                .callHandler((exchange, request) -> call.apply(request.arguments() == null ? Map.of() : request.arguments()))
                .build();
    }

    private static CallToolResult text(String s) {
        return CallToolResult.builder().addTextContent(s).isError(false).build();
    }

    private static CallToolResult error(String message) {
        return CallToolResult.builder().addTextContent(message).isError(true).build();
    }
}
