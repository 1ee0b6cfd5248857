package dev.cloned.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.rules.json.CanonicalJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The npm interop project ({@code src/test/mcp-ts}): installs it with {@code npm ci} once per JVM and runs the
 * official MCP TypeScript SDK client in it. Shared by the gateway's and the CLI's interop tests.
 */
public final class NodeClient {
    private static boolean installed;

    private NodeClient() {
    }

    /** The project directory (works from the gateway and the cli module). */
    public static Path project() {
        Path here = Path.of("src/test/mcp-ts").toAbsolutePath();
        return Files.isDirectory(here) ? here : Path.of("../gateway/src/test/mcp-ts").toAbsolutePath().normalize();
    }

    /** Runs {@code npm ci} (once per JVM). */
    public static synchronized void install() throws IOException, InterruptedException {
        if (installed) {
            return;
        }
        Process p = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(project().toFile())
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("npm ci failed in " + project());
        }
        installed = true;
    }

    /** Path of the upstream server-everything entry point. */
    public static Path everything() {
        return project().resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js");
    }

    /** Runs the TS client with a config; returns its JSON report. */
    public static JsonNode run(JsonNode config) throws IOException, InterruptedException {
        install();
        Process p = new ProcessBuilder("node", "client.mjs", CanonicalJson.write(config)).directory(project().toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("the TypeScript MCP client failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return CanonicalJson.MAPPER.readTree(out);
    }
}
