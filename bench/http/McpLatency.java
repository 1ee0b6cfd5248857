// The MCP front's added latency (not a test): the same echo tool of @modelcontextprotocol/server-everything called
// N times sequentially (1) directly over stdio and (2) through the gateway's /mcp (Streamable HTTP), governed and
// audited. Prints p50/p99 of both and the difference.
// Usage: java -cp 'cli/target/cloned.jar:cli/target/lib/*' McpLatency.java EVERYTHING_INDEX_JS GATEWAY_URL TOKEN N
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

public class McpLatency {
    public static void main(String[] a) throws Exception {
        var json = new JacksonMcpJsonMapper(new com.fasterxml.jackson.databind.ObjectMapper());
        int n = Integer.parseInt(a[3]);
        var noValidation = (io.modelcontextprotocol.json.schema.JsonSchemaValidator) (s, c) ->
            io.modelcontextprotocol.json.schema.JsonSchemaValidator.ValidationResponse.asValid(null);
        McpSyncClient direct = McpClient.sync(new StdioClientTransport(ServerParameters.builder("node")
            .args(a[0], "stdio").build(), json)).jsonSchemaValidator(noValidation)
            .requestTimeout(Duration.ofSeconds(30)).build();
        direct.initialize();
        McpSyncClient front = McpClient.sync(HttpClientStreamableHttpTransport.builder(a[1]).endpoint("/mcp")
                .jsonMapper(json).httpRequestCustomizer((b, m, u, body, ctx) -> b.header("Authorization", "Bearer " + a[2]))
                .build()).jsonSchemaValidator(noValidation).requestTimeout(Duration.ofSeconds(30)).build();
        front.initialize();
        long[] d = run(direct, "echo", n);
        long[] f = run(front, "upstream.everything.echo__v1", n);
        System.out.printf("direct stdio: p50=%.3f ms p99=%.3f ms%n", d[n / 2] / 1e6, d[(int) (n * 0.99)] / 1e6);
        System.out.printf("via /mcp:     p50=%.3f ms p99=%.3f ms%n", f[n / 2] / 1e6, f[(int) (n * 0.99)] / 1e6);
        System.out.printf("added by the front: p50=%.3f ms%n", (f[n / 2] - d[n / 2]) / 1e6);
        direct.closeGracefully();
        front.closeGracefully();
        System.exit(0);
    }

    static long[] run(McpSyncClient c, String tool, int n) {
        for (int i = 0; i < 5000; i++) { // the JIT compiles the path after some thousands of calls
            c.callTool(new McpSchema.CallToolRequest(tool, Map.of("message", "warm")));
        }
        long[] lat = new long[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            McpSchema.CallToolResult r = c.callTool(new McpSchema.CallToolRequest(tool, Map.of("message", "m" + i)));
            lat[i] = System.nanoTime() - t;
            if (Boolean.TRUE.equals(r.isError())) {
                throw new IllegalStateException(tool + " failed: " + r);
            }
        }
        Arrays.sort(lat);
        return lat;
    }
}
