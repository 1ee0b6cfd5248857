// The MCP front's added latency (not a test): the echo tool of @modelcontextprotocol/server-everything called N times
// sequentially, (1) directly over stdio and (2) through the gateway's /mcp (Streamable HTTP), governed and audited.
// Two clients, each on both paths, so each difference compares like with like:
//  - the official MCP Java SDK (McpSyncClient: stdio transport vs its java.net.http Streamable HTTP transport);
//  - raw JSON-RPC, the least a client can do: one line written to the server's stdin and one read back, vs one
//    keep-alive HTTP POST of the same message, both from the calling thread (a pipe and a blocking socket). This shows
//    what the gateway adds, without a client library's own cost of an HTTP round trip (the SDK's HTTP transport alone
//    costs ~0.7 ms here at p50, see docs/performance.md) or of hand-offs to its threads.
// With LOOPBACK_CJS (bench/http/loopback.cjs), the SDK client also calls the same server's own Streamable HTTP
// transport (node index.js streamableHttp, bound to 127.0.0.1 by that preload), with no gateway in between: what the
// SDK's HTTP transport and an HTTP server cost by themselves, the fair baseline for the SDK's figure via /mcp.
// Usage: java -cp 'cli/target/cloned.jar:cli/target/lib/*' McpLatency.java EVERYTHING_INDEX_JS GATEWAY_URL TOKEN N
//        [LOOPBACK_CJS]
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

public class McpLatency {
    private static final int WARM = 5000; // the JIT compiles the path after some thousands of calls
    // ... and for at least this long: the upstream server's own time per call (node, server-everything) rises from
    // ~0.02 to ~0.08 ms within a few seconds of its start and stays there. The gateway's upstream has run for minutes,
    // so a direct server measured in its first second would flatter the baseline (docs/performance.md).
    private static final long WARM_NANOS = 5_000_000_000L;

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
        long[] sdkDirect = time(n, i -> sdkCall(direct, "echo", i));
        long[] sdkFront = time(n, i -> sdkCall(front, "upstream.everything.echo__v1", i));
        report("MCP Java SDK", sdkDirect, sdkFront);
        direct.closeGracefully();
        front.closeGracefully();
        if (a.length > 4) {
            sdkOverOwnHttp(everything, a[4], json, noValidation, n, sdkFront);
        }

        RawStdio stdio = new RawStdio(everything);
        RawHttp http = new RawHttp(gateway, token);
        report("raw JSON-RPC", time(n, i -> stdio.call("echo", i)),
            time(n, i -> http.call("upstream.everything.echo__v1", i)));
        long[] builtin = time(n, i -> http.call("cloned.internal.echo__v1", i)); // where the time goes: no upstream
        System.out.printf("raw JSON-RPC, via /mcp, the gateway's own echo (governed, no upstream): p50=%.3f ms "
            + "p99=%.3f ms%n", builtin[n / 2] / 1e6, builtin[(int) (n * 0.99)] / 1e6);
        stdio.close();
    }

    /** The SDK's HTTP transport against server-everything's own Streamable HTTP server: no gateway on the path. */
    static void sdkOverOwnHttp(String everything, String loopbackCjs, JacksonMcpJsonMapper json,
                               io.modelcontextprotocol.json.schema.JsonSchemaValidator noValidation, int n,
                               long[] viaFront) throws Exception {
        int port;
        try (var probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder("node", "-r", loopbackCjs, everything, "streamableHttp")
            .redirectErrorStream(true);
        pb.environment().put("PORT", Integer.toString(port));
        Process p = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.contains("listening on port")) {
                // the server's start-up lines
            }
            if (line == null) {
                throw new IllegalStateException("server-everything's HTTP transport exited before listening");
            }
            Thread drain = new Thread(() -> {
                try {
                    out.transferTo(java.io.Writer.nullWriter());
                } catch (java.io.IOException ignored) {
                    // the process is gone
                }
            });
            drain.setDaemon(true);
            drain.start();
            McpSyncClient own = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port)
                    .endpoint("/mcp").jsonMapper(json).build()).jsonSchemaValidator(noValidation)
                .requestTimeout(Duration.ofSeconds(30)).build();
            own.initialize();
            long[] d = time(n, i -> sdkCall(own, "echo", i));
            own.closeGracefully();
            System.out.printf("MCP Java SDK, the server's own Streamable HTTP (no gateway): p50=%.3f ms p99=%.3f ms%n",
                d[n / 2] / 1e6, d[(int) (n * 0.99)] / 1e6);
            System.out.printf("MCP Java SDK, via /mcp minus the server's own HTTP: p50=%.3f ms%n",
                (viaFront[n / 2] - d[n / 2]) / 1e6);
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    static void report(String client, long[] d, long[] f) {
        int n = d.length;
        System.out.printf("%s, direct stdio: p50=%.3f ms p99=%.3f ms%n", client, d[n / 2] / 1e6, d[(int) (n * 0.99)] / 1e6);
        System.out.printf("%s, via /mcp:     p50=%.3f ms p99=%.3f ms%n", client, f[n / 2] / 1e6, f[(int) (n * 0.99)] / 1e6);
        System.out.printf("%s, added by the front: p50=%.3f ms%n", client, (f[n / 2] - d[n / 2]) / 1e6);
    }

    static long[] time(int n, Call call) throws Exception {
        long warmUntil = System.nanoTime() + WARM_NANOS;
        for (int i = 0; i < WARM || System.nanoTime() < warmUntil; i++) {
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

    /**
     * {@code /mcp} over one keep-alive connection: a session, then each call one POST answered with JSON. A blocking
     * socket on the calling thread, as {@link RawStdio} uses the pipe, so neither path pays a client thread hand-off
     * (an event-loop client adds two: to its loop and back to the caller, ~0.1 ms here).
     */
    static final class RawHttp {
        final java.net.Socket socket;
        final OutputStream out;
        final java.io.DataInputStream in;
        final String host;
        final String token;
        String session;

        RawHttp(URI base, String token) throws Exception {
            this.token = token;
            host = base.getHost() + ":" + base.getPort();
            socket = new java.net.Socket(base.getHost(), base.getPort());
            socket.setTcpNoDelay(true);
            out = new java.io.BufferedOutputStream(socket.getOutputStream());
            in = new java.io.DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
            String[] init = post(INIT);
            session = init[1];
            if (session == null) {
                throw new IllegalStateException("initialize gave no Mcp-Session-Id (" + init[2] + "): " + init[0]);
            }
            post(INITIALIZED);
        }

        void call(String tool, int i) throws Exception {
            String[] r = post(callMessage(tool, IDS.incrementAndGet(), i));
            // a result, not an error; isError is true only on failure (an upstream's result may leave it out)
            if (!r[0].contains("\"result\"") || r[0].contains("\"isError\":true")) {
                throw new IllegalStateException(tool + " failed (" + r[2] + "): " + r[0]);
            }
        }

        /** The body, the session header and the status line of the answer. */
        String[] post(String body) throws Exception {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            StringBuilder h = new StringBuilder("POST /mcp HTTP/1.1\r\nHost: ").append(host)
                .append("\r\nAuthorization: Bearer ").append(token)
                .append("\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n");
            if (session != null) {
                h.append("Mcp-Session-Id: ").append(session).append("\r\nMCP-Protocol-Version: 2025-06-18\r\n");
            }
            h.append("Content-Length: ").append(b.length).append("\r\n\r\n");
            out.write(h.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.flush();
            String status = line();
            String sessionId = null;
            int length = -1;
            for (String l = line(); !l.isEmpty(); l = line()) {
                int colon = l.indexOf(':');
                String name = l.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT);
                String value = l.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Integer.parseInt(value);
                    case "mcp-session-id" -> sessionId = value;
                    case "transfer-encoding" -> throw new IllegalStateException("unexpected " + l + " for " + body);
                    default -> { }
                }
            }
            if (length < 0) {
                throw new IllegalStateException(status + " without Content-Length for " + body);
            }
            byte[] rb = new byte[length];
            in.readFully(rb);
            return new String[] {new String(rb, StandardCharsets.UTF_8), sessionId, status};
        }

        private String line() throws Exception {
            StringBuilder l = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IllegalStateException("the gateway closed the connection");
                }
                if (c != '\r') {
                    l.append((char) c);
                }
            }
            return l.toString();
        }
    }
}
