package dev.cloned.connector.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.cloned.runtime.connectors.ConnectorInstaller;
import dev.cloned.runtime.connectors.InstalledConnector;
import dev.cloned.runtime.connectors.PackageSigner;
import dev.cloned.runtime.connectors.PublisherKeys;
import dev.cloned.runtime.connectors.ServerSpec;
import dev.cloned.runtime.connectors.ToolSpec;
import dev.cloned.runtime.connectors.VerificationReport;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo connector end to end: assemble its package from the build output, sign it with a freshly generated
 * {@code cloned.demo} key, install and enable it in a temporary workspace, start the installed server as a real
 * subprocess through the MCP Java SDK client, list its tools and call them.
 */
class DemoConnectorIT {
    @TempDir
    Path tmp;

    /** Builds the signed demo package the way {@code cloned demo} is meant to (see docs/connectors.md). */
    static Path buildSignedPackage(Path tmp, Path cloned) throws IOException {
        Path pkg = Files.createDirectories(tmp.resolve("demo-package/lib"));
        Path target = Path.of("target");
        try (Stream<Path> jars = Files.list(target)) {
            for (Path jar : jars.filter(p -> p.getFileName().toString().matches("cloned-connector-demo-.*\\.jar")).toList()) {
                Files.copy(jar, pkg.resolve(jar.getFileName()));
            }
        }
        try (Stream<Path> deps = Files.list(target.resolve("lib"))) {
            for (Path jar : deps.toList()) {
                Files.copy(jar, pkg.resolve(jar.getFileName()));
            }
        }
        Path root = pkg.getParent();
        Files.copy(Path.of("src/main/package/package.manifest.json"), root.resolve("package.manifest.json"));
        Path key = tmp.resolve("keys/cloned.demo.key");
        Files.createDirectories(key.getParent());
        PublisherKeys.generate("cloned.demo", "Cloned demo publisher (generated for this workspace)", key,
                cloned.resolve("trust/publishers/cloned.demo.json"), Clock.systemUTC());
        PackageSigner.sign(root, key);
        return root;
    }

    @Test
    void should_list_tools_with_schemas_and_answer_calls_when_installed_package_runs() throws Exception {
        Path cloned = Files.createDirectories(tmp.resolve("ws/.cloned"));
        Path pkg = buildSignedPackage(tmp, cloned);
        ConnectorInstaller installer = new ConnectorInstaller(cloned, () -> Set.of("cloned.demo"), Clock.systemUTC());
        VerificationReport dry = installer.dryRun(pkg);
        assertThat(dry.verified()).as(dry.reason()).isTrue();
        installer.install(pkg);
        installer.enable("connector.demo");
        InstalledConnector demo = installer.load("connector.demo");

        List<String> proxied = new CopyOnWriteArrayList<>();
        HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        proxy.createContext("/", ex -> {
            proxied.add(ex.getRequestMethod() + " " + ex.getRequestURI());
            byte[] body = "hello via proxy".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        proxy.start();
        List<String> cmd = demo.server().resolvedCommand(demo.directory(), ServerSpec.currentJava());
        ServerParameters params = ServerParameters.builder(cmd.get(0)).args(cmd.subList(1, cmd.size()))
                .env(Map.of("HTTP_PROXY", "http://127.0.0.1:" + proxy.getAddress().getPort())).build();
        ObjectMapper mapper = new ObjectMapper();
        McpSyncClient client = McpClient.sync(new StdioClientTransport(params, new JacksonMcpJsonMapper(mapper)))
                .jsonSchemaValidator(new NetworkntSchemaValidator(mapper))
                .requestTimeout(Duration.ofSeconds(60)).initializationTimeout(Duration.ofSeconds(60)).build();
        try {
            client.initialize();
            assertThat(client.getServerInfo().name()).isEqualTo(DemoConnector.NAME);

            List<McpSchema.Tool> tools = client.listTools().tools();
            assertThat(tools).extracting(McpSchema.Tool::name)
                    .containsExactlyInAnyOrderElementsOf(demo.tools().stream().map(ToolSpec::mcpName).toList());
            McpSchema.Tool echo = tools.stream().filter(t -> t.name().equals("demo.echo")).findFirst().orElseThrow();
            assertThat(echo.inputSchema()).containsEntry("type", "object").containsEntry("required", List.of("text"));

            McpSchema.CallToolResult echoed = client.callTool(McpSchema.CallToolRequest.builder("demo.echo").arguments(Map.of("text", "hello, governed world")).build());
            assertThat(echoed.isError()).isFalse();
            assertThat(((McpSchema.TextContent) echoed.content().get(0)).text()).isEqualTo("hello, governed world");

            McpSchema.CallToolResult counted = client.callTool(McpSchema.CallToolRequest.builder("demo.word_count").arguments(Map.of("text", "one two three")).build());
            assertThat(((McpSchema.TextContent) counted.content().get(0)).text()).isEqualTo("3");

            // demo.invalid does not resolve: only the proxy from HTTP_PROXY can answer.
            McpSchema.CallToolResult fetched = client.callTool(McpSchema.CallToolRequest.builder("demo.fetch").arguments(Map.of("url", "http://demo.invalid/page")).build());
            assertThat(fetched.isError()).isFalse();
            assertThat(((McpSchema.TextContent) fetched.content().get(0)).text()).contains("HTTP 200").contains("hello via proxy");
            assertThat(proxied).containsExactly("GET http://demo.invalid/page");
        } finally {
            client.closeGracefully();
            proxy.stop(0);
        }
    }
}
