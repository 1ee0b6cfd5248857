package dev.cloned.gateway.mcp;

import dev.cloned.gateway.ClonedGateway;
import dev.cloned.gateway.http.TestClock;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.WorkspaceInit;
import dev.cloned.runtime.audit.AuditVerifier;
import dev.cloned.runtime.tools.CallResult;
import dev.cloned.runtime.tools.ToolCallEnvelope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upstream MCP server process fronted by a real gateway: calls take the governed path, the registrations follow
 * the server's tools/list_changed, and a server that exits is started again on the next call, with a backoff while
 * it keeps failing to start.
 */
class UpstreamMcpToolsIT {
    @TempDir
    Path root;
    ClonedGateway gw;
    UpstreamMcpTools upstream;
    final TestClock clock = new TestClock();
    Path flag;

    @BeforeEach
    void start() throws Exception {
        NodeClient.install();
        Workspace ws = Workspace.at(root);
        new WorkspaceInit(ws, Clock.systemUTC()).run("personal", false);
        gw = ClonedGateway.open(ws, Clock.systemUTC());
        flag = root.resolve("refuse-to-start");
        // While the flag file exists the server exits with code 5 at start, so restarts fail.
        List<String> cmd = List.of("sh", "-c", "test -e \"$0\" && { echo refusing >&2; exit 5; }; exec node \"$1\"",
            flag.toString(), NodeClient.project().resolve("test-server.mjs").toString());
        upstream = UpstreamMcpTools.start(StdioMcpClient.Options.of("upstream test", cmd, Duration.ofSeconds(30)), clock, null);
        upstream.register(gw.tools(), "upstream.test", "cloned.official");
    }

    @AfterEach
    void stop() {
        upstream.close();
        gw.close();
    }

    private CallResult call(String tool, String input) throws Exception {
        return gw.calls().call(new ToolCallEnvelope("upstream.test." + tool + "@v1", CanonicalJson.MAPPER.readTree(input),
            "test:agent", false, null));
    }

    private static String text(CallResult r) {
        assertThat(r.status()).as(String.valueOf(r.error())).isEqualTo(CallResult.Status.SUCCEEDED);
        return r.output().path("content").get(0).path("text").asText();
    }

    @Test
    void should_start_an_exited_server_again_on_the_next_call_with_a_backoff_while_it_fails() throws Exception {
        String first = text(call("pid", "{}"));
        Files.writeString(flag, "");

        CallResult exit = call("exit", "{\"code\":9}");
        assertThat(exit.status()).isEqualTo(CallResult.Status.FAILED);
        assertThat(exit.error()).contains("upstream test ended").contains("exited with code 9");
        CallResult restart = call("echo", "{\"message\":\"a\"}");
        assertThat(restart.status()).isEqualTo(CallResult.Status.FAILED);
        assertThat(restart.error()).contains("exited with code 5");
        assertThat(call("echo", "{\"message\":\"b\"}").error()).contains("exited with code 5");
        CallResult waiting = call("echo", "{\"message\":\"c\"}");
        assertThat(waiting.status()).isEqualTo(CallResult.Status.FAILED);
        assertThat(waiting.error()).contains("upstream test failed 2 times in a row; next start in 250 ms");

        Files.delete(flag);
        clock.advance(Duration.ofSeconds(1));
        String second = text(call("pid", "{}"));
        assertThat(second).isNotEqualTo(first);
        assertThat(ProcessHandle.of(Long.parseLong(first)).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(text(call("echo", "{\"message\":\"back\"}"))).isEqualTo("echo: back");
        gw.audit().awaitFlushed();
        assertThat(AuditVerifier.verify(gw.workspace().auditLog()).ok()).isTrue();
    }

    @Test
    void should_register_a_tool_the_server_adds_and_govern_calls_to_it() throws Exception {
        assertThat(gw.tools().find("upstream.test.late@v1")).isEmpty();

        assertThat(text(call("add_tool", "{\"name\":\"late\"}"))).isEqualTo("added late");

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (gw.tools().find("upstream.test.late@v1").isEmpty()) {
            assertThat(System.nanoTime()).as("tools/list_changed re-registered the tools").isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(upstream.names()).contains("late", "echo");
        assertThat(text(call("late", "{}"))).isEqualTo("called late");
        gw.audit().awaitFlushed();
        assertThat(Files.readString(gw.workspace().auditLog())).contains("\"tool_id\":\"upstream.test.late\"");
    }

    @Test
    void should_record_a_tool_that_answers_is_error_as_a_failed_call() throws Exception {
        CallResult r = call("fail", "{}");

        assertThat(r.status()).isEqualTo(CallResult.Status.FAILED);
        assertThat(r.error()).contains("upstream tool fail failed").contains("it broke");
        gw.audit().awaitFlushed(); // the outcome entry is written after the call returns
        assertThat(Files.readAllLines(gw.workspace().auditLog())).filteredOn(l -> l.contains(r.callId()))
            .anyMatch(l -> l.contains("\"outcome\":\"failure\"") && l.contains("it broke"));
    }
}
