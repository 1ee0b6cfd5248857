package dev.cloned.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.rules.json.CanonicalJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real {@code cloned serve --upstream}: the reference MCP server from npm, started from a path with a blank in it
 * (quoted in the spec), fronted and governed over HTTP; a malformed spec stops the start with one error.
 */
class ServeUpstreamIT {
    @TempDir
    Path ws;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Path everything() {
        return Path.of(System.getProperty("cloned.root", "..")).resolve(
            "gateway/src/test/mcp-ts/node_modules/@modelcontextprotocol/server-everything").toAbsolutePath();
    }

    @Test
    void should_front_an_upstream_started_from_a_quoted_path_with_a_blank() throws Exception {
        assertThat(CliProcess.run(ws, "init").exit()).isZero();
        Path dir = Files.createDirectories(ws.resolve("mcp servers"));
        Path link = Files.createSymbolicLink(dir.resolve("everything"), everything()); // node resolves its imports
        String spec = "everything=node \"" + link.resolve("dist/index.js") + "\" stdio";
        try (CliProcess.Serving serving = CliProcess.serve(ws, "--upstream", spec, "--upstream-publisher", "cloned.official")) {
            String base = serving.base();
            String bearer = "Bearer " + serving.token();
            HttpResponse<String> session = client.send(HttpRequest.newBuilder(URI.create(base + "/v1/auth/session"))
                .header("Authorization", bearer).GET().build(), HttpResponse.BodyHandlers.ofString());
            String csrf = CanonicalJson.MAPPER.readTree(session.body()).path("csrf_token").asText();

            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/v1/tool-calls"))
                .header("Authorization", bearer).header("X-CSRF-Token", csrf).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                    "{\"tool_id\":\"everything.echo@v1\",\"input\":{\"message\":\"through the gateway\"}}"))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode result = CanonicalJson.MAPPER.readTree(r.body());
            assertThat(result.path("status").asText()).isEqualTo("succeeded");
            assertThat(result.path("output").toString()).contains("through the gateway");
        }
        assertThat(Files.readString(ws.resolve(".cloned/audit.log"))).contains("\"tool_id\":\"everything.echo\"");
        assertThat(CliProcess.run(ws, "audit", "verify").exit()).isZero();
    }

    @Test
    void should_refuse_to_start_with_one_error_when_the_upstream_spec_is_malformed() throws Exception {
        assertThat(CliProcess.run(ws, "init").exit()).isZero();
        CliProcess.Run noId = CliProcess.run(ws, "serve", "--port", "0", "--upstream", "node server.js");
        assertThat(noId.exit()).as(noId.all()).isEqualTo(2);
        assertThat(noId.err()).contains("has no '='").contains("--upstream 'files=");
        CliProcess.Run quote = CliProcess.run(ws, "serve", "--port", "0", "--upstream", "x=node \"/tmp/a b");
        assertThat(quote.exit()).as(quote.all()).isEqualTo(2);
        assertThat(quote.err()).contains("unclosed");
    }
}
