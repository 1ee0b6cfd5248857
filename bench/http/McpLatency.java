// The MCP front's added latency (not a test): the echo tool of @modelcontextprotocol/server-everything called N times
// sequentially, (1) directly over stdio and (2) through the gateway's /mcp (Streamable HTTP), governed and audited.
// Two clients, each on both paths, so each difference compares like with like:
//  - the official MCP Java SDK (McpSyncClient: stdio transport vs its java.net.http Streamable HTTP transport);
//  - raw JSON-RPC, the least a client can do: one line written to the server's stdin and one read back, vs one
//    keep-alive Vert.x HTTP POST of the same message. This shows what the gateway adds, without the client library's
//    own cost of an HTTP round trip (the SDK's HTTP transport alone costs ~0.7 ms here at p50, see docs/performance.md).
// Usage: java -cp 'cli/target/cloned.jar:cli/target/lib/*' McpLatency.java EVERYTHING_INDEX_JS GATEWAY_URL TOKEN N
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

public class McpLatency {
    private static final int WARM = 5000; // the JIT compiles the path after some thousands of calls

    interface Call {
        void run(int i) throws Exception;
    }

    public static void main(String[] a) {
        try {
            run(a);
            System.exit(0);
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(1); // the clients' threads would keep the JVM (and the bench script) waiting
        }
    }

    static void run(String[] a) throws Exception {
        String everything = a[0];
        URI gateway = URI.create(a[1]);
        String token = a[2];
        int n = Integer.parseInt(a[3]);

        var json = new JacksonMcpJsonMapper(new com.fasterxml.jackson.databind.ObjectMapper());
        var noValidation = (io.modelcontextprotocol.json.schema.JsonSchemaValidator) (s, c) ->
            io.modelcontextprotocol.json.schema.JsonSchemaValidator.ValidationResponse.asValid(null);
        McpSyncClient direct = McpClient.sync(new StdioClientTransport(ServerParameters.builder("node")
            .args(everything, "stdio").build(), json)).jsonSchemaValidator(noValidation)
            .requestTimeout(Duration.ofSeconds(30)).build();
        direct.initialize();
        McpSyncClient front = McpClient.sync(HttpClientStreamableHttpTransport.builder(a[1]).endpoint("/mcp")
                .jsonMapper(json).httpRequestCustomizer((b, m, u, body, ctx) -> b.header("Authorization", "Bearer " + token))
                .build()).jsonSchemaValidator(noValidation).requestTimeout(Duration.ofSeconds(30)).build();
        front.initialize();
        report("MCP Java SDK", time(n, i -> sdkCall(direct, "echo", i)),
            time(n, i -> sdkCall(front, "upstream.everything.echo__v1", i)));
        direct.closeGracefully();
        front.closeGracefully();

        RawStdio stdio = new RawStdio(everything);
        RawHttp http = new RawHttp(gateway, token);
        report("raw JSON-RPC", time(n, i -> stdio.call("echo", i)),
            time(n, i -> http.call("upstream.everything.echo__v1", i)));
        stdio.close();
    }

    static void report(String client, long[] d, long[] f) {
        int n = d.length;
        System.out.printf("%s, direct stdio: p50=%.3f ms p99=%.3f ms%n", client, d[n / 2] / 1e6, d[(int) (n * 0.99)] / 1e6);
        System.out.printf("%s, via /mcp:     p50=%.3f ms p99=%.3f ms%n", client, f[n / 2] / 1e6, f[(int) (n * 0.99)] / 1e6);
        System.out.printf("%s, added by the front: p50=%.3f ms%n", client, (f[n / 2] - d[n / 2]) / 1e6);
    }

    static long[] time(int n, Call call) throws Exception {
        for (int i = 0; i < WARM; i++) {
            call.run(i);
        }
        long[] lat = new long[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            call.run(i);
            lat[i] = System.nanoTime() - t;
        }
        Arrays.sort(lat);
        return lat;
    }

    static void sdkCall(McpSyncClient c, String tool, int i) {
        McpSchema.CallToolResult r = c.callTool(new McpSchema.CallToolRequest(tool, Map.of("message", "m" + i)));
        if (Boolean.TRUE.equals(r.isError())) {
            throw new IllegalStateException(tool + " failed: " + r);
        }
    }

    /** Request ids, never reused within a session (MCP requires that of a client). */
    static final java.util.concurrent.atomic.AtomicLong IDS = new java.util.concurrent.atomic.AtomicLong(10);

    static String callMessage(String tool, long id, int i) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
            + "\",\"arguments\":{\"message\":\"m" + i + "\"}}}";
    }

    static final String INIT = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
        + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"mcp-latency\",\"version\":\"1\"}}}";
    static final String INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";

    /** The upstream server's stdio, one JSON-RPC message per line, answered in order (no notifications here). */
    static final class RawStdio {
        final Process p;
        final OutputStream in;
        final BufferedReader out;

        RawStdio(String everything) throws Exception {
            p = new ProcessBuilder("node", everything, "stdio").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            in = p.getOutputStream();
            out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            send(INIT);
            receive(1);
            send(INITIALIZED);
        }

        void call(String tool, int i) throws Exception {
            long id = IDS.incrementAndGet();
            send(callMessage(tool, id, i));
            receive(id);
        }

        void send(String line) throws Exception {
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        void receive(long id) throws Exception {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("{\"result\"") || line.contains("\"id\":" + id + "}") || line.contains("\"id\":" + id + ",")) {
                    if (line.contains("\"isError\":true") || line.contains("\"error\"")) {
                        throw new IllegalStateException("upstream call failed: " + line);
                    }
                    return;
                }
            }
            throw new IllegalStateException("upstream server ended");
        }

        void close() {
            p.destroy();
        }
    }

    /** {@code /mcp} over one keep-alive connection: a session, then each call one POST answered with JSON. */
    static final class RawHttp {
        final HttpClient client;
        final MultiMap headers;
        final URI base;
        /** Requests are sent from the client's own event loop: from another thread a response's body can be missed. */
        final io.vertx.core.Context loop;

        RawHttp(URI base, String token) throws Exception {
            this.base = base;
            Vertx vertx = Vertx.vertx();
            loop = vertx.getOrCreateContext();
            client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(1));
            headers = MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + token)
                .add("Content-Type", "application/json").add("Accept", "application/json, text/event-stream");
            String[] session = post(INIT);
            headers.add("Mcp-Session-Id", session[1]).add("MCP-Protocol-Version", "2025-06-18");
            post(INITIALIZED);
        }

        void call(String tool, int i) throws Exception {
            String[] r = post(callMessage(tool, IDS.incrementAndGet(), i));
            if (!r[0].contains("\"isError\":false")) {
                throw new IllegalStateException(tool + " failed (" + r[2] + "): " + r[0]);
            }
        }

        /** The body and the session header of the answer. */
        String[] post(String body) throws Exception {
            CompletableFuture<String[]> f = new CompletableFuture<>();
            loop.runOnContext(v -> client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost(base.getHost()).setPort(base.getPort())
                    .setURI("/mcp").setHeaders(headers))
                .compose(r -> r.send(Buffer.buffer(body)))
                .compose(r -> r.body().map(b -> new String[] {b.toString(), r.getHeader("Mcp-Session-Id"),
                    r.statusCode() + " " + r.getHeader("Content-Type")}))
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        f.complete(ar.result());
                    } else {
                        f.completeExceptionally(ar.cause());
                    }
                }));
            return f.get(30, TimeUnit.SECONDS);
        }
    }
}
