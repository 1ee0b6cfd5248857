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
            HttpResponse<String> r = callTool(serving, "everything.echo@v1", "{\"message\":\"through the gateway\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode result = CanonicalJson.MAPPER.readTree(r.body());
            assertThat(result.path("status").asText()).isEqualTo("succeeded");
            assertThat(result.path("output").toString()).contains("through the gateway");
        }
        assertThat(Files.readString(ws.resolve(".cloned/audit.log"))).contains("\"tool_id\":\"everything.echo\"");
        assertThat(CliProcess.run(ws, "audit", "verify").exit()).isZero();
    }

    @Test
    void should_give_an_upstream_only_the_base_environment_and_the_variables_passed_by_name() throws Exception {
        assertThat(CliProcess.run(ws, "init").exit()).isZero();
        String canary = "canary-" + java.util.UUID.randomUUID();
        String spec = "everything=node \"" + everything().resolve("dist/index.js") + "\" stdio";
        try (CliProcess.Serving serving = CliProcess.serve(ws, java.util.Map.of("CLONED_TEST_CANARY_SECRET", canary,
            "UPSTREAM_WANTS_THIS", "passed-by-name"), "--upstream", spec, "--upstream-publisher", "cloned.official",
            "--upstream-env", "UPSTREAM_WANTS_THIS")) {
            HttpResponse<String> r = callTool(serving, "everything.get-env@v1", "{}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode env = upstreamEnv(r);
            assertThat(env.path("UPSTREAM_WANTS_THIS").asText()).isEqualTo("passed-by-name");
            assertThat(env.has("PATH")).isTrue();
            assertThat(env.has("CLONED_TEST_CANARY_SECRET")).isFalse();
            assertThat(r.body()).doesNotContain(canary);
        }
        assertThat(Files.readString(ws.resolve(".cloned/audit.log"))).doesNotContain(canary);
    }

    @Test
    void should_give_an_upstream_a_vault_secret_and_redact_it_from_what_the_upstream_returns() throws Exception {
        assertThat(CliProcess.run(ws, "init").exit()).isZero();
        String canary = "canary-" + java.util.UUID.randomUUID();
        assertThat(CliProcess.runWithStdin(ws, canary + "\n", "vault", "set", "upstream-token").exit()).isZero();
        String spec = "everything=node \"" + everything().resolve("dist/index.js") + "\" stdio";
        try (CliProcess.Serving serving = CliProcess.serve(ws, "--upstream", spec, "--upstream-publisher",
            "cloned.official", "--upstream-secret", "UPSTREAM_TOKEN=vault://upstream-token")) {
            HttpResponse<String> r = callTool(serving, "everything.get-env@v1", "{}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode env = upstreamEnv(r);
            assertThat(env.path("UPSTREAM_TOKEN").asText()).as("the upstream got it; the caller sees a marker")
                .startsWith("[REDACTED:");
            assertThat(r.body()).doesNotContain(canary);
        }
        assertThat(Files.readString(ws.resolve(".cloned/audit.log"))).doesNotContain(canary);

        CliProcess.Run missing = CliProcess.run(ws, "serve", "--port", "0", "--upstream", spec,
            "--upstream-secret", "X=vault://no-such-secret");
        assertThat(missing.exit()).as(missing.all()).isNotZero();
        assertThat(missing.err()).contains("no secret named 'no-such-secret'");
    }

    @Test
    void should_give_a_variable_or_a_secret_scoped_with_an_id_to_that_upstream_only() throws Exception {
        assertThat(CliProcess.run(ws, "init").exit()).isZero();
        String canary = "canary-" + java.util.UUID.randomUUID();
        assertThat(CliProcess.runWithStdin(ws, canary + "\n", "vault", "set", "b-token").exit()).isZero();
        String cmd = "node \"" + everything().resolve("dist/index.js") + "\" stdio";
        try (CliProcess.Serving serving = CliProcess.serve(ws, java.util.Map.of("ONLY_FOR_A", "a-value",
                "FOR_ALL", "all-value"), "--upstream", "a=" + cmd, "--upstream", "b=" + cmd,
            "--upstream-publisher", "cloned.official", "--upstream-env", "a:ONLY_FOR_A", "--upstream-env", "FOR_ALL",
            "--upstream-secret", "b:B_TOKEN=vault://b-token")) {
            HttpResponse<String> ra = callTool(serving, "a.get-env@v1", "{}");
            HttpResponse<String> rb = callTool(serving, "b.get-env@v1", "{}");
            assertThat(ra.statusCode()).as(ra.body()).isEqualTo(200);
            assertThat(rb.statusCode()).as(rb.body()).isEqualTo(200);
            JsonNode a = upstreamEnv(ra);
            JsonNode b = upstreamEnv(rb);
            assertThat(a.path("ONLY_FOR_A").asText()).isEqualTo("a-value");
            assertThat(a.path("FOR_ALL").asText()).isEqualTo("all-value");
            assertThat(a.has("B_TOKEN")).isFalse();
            assertThat(b.has("ONLY_FOR_A")).isFalse();
            assertThat(b.path("FOR_ALL").asText()).isEqualTo("all-value");
            assertThat(b.path("B_TOKEN").asText()).startsWith("[REDACTED:");
            assertThat(ra.body() + rb.body()).doesNotContain(canary);
        }
        assertThat(Files.readString(ws.resolve(".cloned/audit.log"))).doesNotContain(canary);

        CliProcess.Run r = CliProcess.run(ws, "serve", "--port", "0", "--upstream", "a=" + cmd,
            "--upstream-env", "c:FOR_ALL");
        assertThat(r.exit()).as(r.all()).isEqualTo(2);
        assertThat(r.err()).contains("--upstream-env c:FOR_ALL: no --upstream has the id 'c'")
            .contains("the upstreams are a");
    }

    @Test
    void should_refuse_to_start_when_a_variable_to_pass_is_not_set() throws Exception {
        assertThat(CliProcess.run(ws, "init").exit()).isZero();
        CliProcess.Run r = CliProcess.run(ws, "serve", "--port", "0", "--upstream", "x=node server.js",
            "--upstream-env", "CLONED_TEST_SURELY_UNSET_VARIABLE");
        assertThat(r.exit()).as(r.all()).isEqualTo(2);
        assertThat(r.err()).contains("--upstream-env CLONED_TEST_SURELY_UNSET_VARIABLE")
            .contains("has no variable CLONED_TEST_SURELY_UNSET_VARIABLE");
    }

    /** What server-everything's get-env returned: the upstream's environment, as the caller sees it. */
    private static JsonNode upstreamEnv(HttpResponse<String> r) throws Exception {
        return CanonicalJson.MAPPER.readTree(CanonicalJson.MAPPER.readTree(r.body())
            .path("output").path("content").get(0).path("text").asText());
    }

    private HttpResponse<String> callTool(CliProcess.Serving serving, String tool, String input) throws Exception {
        String bearer = "Bearer " + serving.token();
        HttpResponse<String> session = client.send(HttpRequest.newBuilder(URI.create(serving.base() + "/v1/auth/session"))
            .header("Authorization", bearer).GET().build(), HttpResponse.BodyHandlers.ofString());
        String csrf = CanonicalJson.MAPPER.readTree(session.body()).path("csrf_token").asText();
        return client.send(HttpRequest.newBuilder(URI.create(serving.base() + "/v1/tool-calls"))
            .header("Authorization", bearer).header("X-CSRF-Token", csrf).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"tool_id\":\"" + tool + "\",\"input\":" + input + "}"))
            .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
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
