package dev.cloned.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.rules.json.CanonicalJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The gateway's stdio MCP client against real server processes: a server built on the official MCP TypeScript SDK
 * that misbehaves on request ({@code src/test/mcp-ts/test-server.mjs}), and the reference server-everything.
 */
class StdioMcpClientIT {
    private final List<StdioMcpClient> started = new ArrayList<>();
    private final Queue<String> stderr = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void install() throws Exception {
        NodeClient.install();
    }

    @AfterEach
    void stop() {
        started.forEach(StdioMcpClient::close);
    }

    private StdioMcpClient.Options options(Duration timeout, String... args) {
        List<String> cmd = new ArrayList<>(List.of("node", NodeClient.project().resolve("test-server.mjs").toString()));
        cmd.addAll(List.of(args));
        return StdioMcpClient.Options.of("upstream test", cmd, timeout).withStderr(stderr::add);
    }

    private StdioMcpClient start(StdioMcpClient.Options o) {
        StdioMcpClient c = StdioMcpClient.start(o);
        started.add(c);
        return c;
    }

    private static JsonNode args(String json) throws Exception {
        return CanonicalJson.MAPPER.readTree(json);
    }

    private static String text(JsonNode result) {
        return result.path("content").get(0).path("text").asText();
    }

    @Test
    void should_list_every_page_of_tools_and_return_the_servers_result_as_sent() throws Exception {
        StdioMcpClient c = start(options(Duration.ofSeconds(30), "normal", "3"));

        assertThat(c.protocolVersion()).isIn(StdioMcpClient.PROTOCOL_VERSIONS);
        assertThat(c.serverInfo().path("name").asText()).isEqualTo("cloned-test-server");
        assertThat(c.listTools()).extracting(t -> t.path("name").asText()).containsExactly("echo", "sleep", "exit",
            "ping_client", "ask_roots", "add_tool", "big", "junk", "log", "fail", "pid", "stall");
        JsonNode r = c.callTool("echo", args("{\"message\":\"hi \\\"there\\\"\\n\"}"));
        assertThat(text(r)).isEqualTo("echo: hi \"there\"\n");
        assertThat(r.path("structuredContent").path("echoed").asText()).isEqualTo("hi \"there\"\n");
    }

    @Test
    void should_answer_the_servers_ping_and_refuse_its_other_requests_with_method_not_found() throws Exception {
        StdioMcpClient c = start(options(Duration.ofSeconds(30)));

        assertThat(text(c.callTool("ping_client", args("{}")))).isEqualTo("the client answered ping");
        assertThat(text(c.callTool("ask_roots", args("{}")))).contains("roots/list failed")
            .contains("method not found: roots/list");
        assertThat(c.alive()).isTrue();
    }

    @Test
    void should_fail_a_late_call_cancel_it_at_the_server_and_keep_the_session() throws Exception {
        StdioMcpClient c = start(options(Duration.ofMillis(700)));

        assertThatThrownBy(() -> c.callTool("sleep", args("{\"ms\":30000}")))
            .isInstanceOfSatisfying(ClonedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONNECTOR_FAILED))
            .hasMessage("upstream test did not answer tools/call within 700 ms");
        awaitStderr("cancelled ");
        assertThat(c.alive()).isTrue();
        assertThat(text(c.callTool("echo", args("{\"message\":\"still here\"}")))).isEqualTo("echo: still here");
    }

    @Test
    void should_fail_the_call_in_flight_and_every_later_one_when_the_server_exits() throws Exception {
        StdioMcpClient c = start(options(Duration.ofSeconds(60)));

        assertThatThrownBy(() -> c.callTool("exit", args("{\"code\":7}"))).isInstanceOf(ClonedException.class)
            .hasMessageContaining("upstream test ended").hasMessageContaining("exited with code 7");
        assertThat(c.alive()).isFalse();
        assertThat(c.ended()).isDone();
        assertThatThrownBy(() -> c.callTool("echo", args("{\"message\":\"x\"}"))).isInstanceOf(ClonedException.class)
            .hasMessageContaining("exited with code 7");
    }

    @Test
    void should_stop_a_server_that_sends_a_message_over_the_limit() throws Exception {
        StdioMcpClient c = start(options(Duration.ofSeconds(60)).withMaxMessageBytes(64 * 1024));

        assertThat(text(c.callTool("big", args("{\"bytes\":60000}")))).hasSize(60000);
        assertThatThrownBy(() -> c.callTool("big", args("{\"bytes\":70000}"))).isInstanceOf(ClonedException.class)
            .hasMessage("upstream test sent a message over the limit of 65536 bytes; it was stopped");
        assertThat(c.alive()).isFalse();
        c.process().onExit().get(10, TimeUnit.SECONDS);
    }

    @Test
    void should_skip_a_line_that_is_not_json_and_pass_log_messages_to_the_stderr_sink() throws Exception {
        StdioMcpClient c = start(options(Duration.ofSeconds(30)));

        assertThat(text(c.callTool("junk", args("{}")))).isEqualTo("after junk");
        assertThat(text(c.callTool("log", args("{}")))).isEqualTo("logged");
        awaitStderr("[warning] a log message from the server");
        assertThat(c.alive()).isTrue();
    }

    @Test
    void should_tell_the_listener_when_the_server_changes_its_tools() throws Exception {
        CountDownLatch changed = new CountDownLatch(1);
        StdioMcpClient c = start(options(Duration.ofSeconds(30)).withToolsChanged(changed::countDown));

        c.callTool("add_tool", args("{\"name\":\"late\"}"));

        assertThat(changed.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(c.listTools()).extracting(t -> t.path("name").asText()).contains("late");
    }

    @Test
    void should_fail_with_the_servers_error_when_it_answers_with_a_json_rpc_error() throws Exception {
        StdioMcpClient c = start(options(Duration.ofSeconds(30)));

        assertThatThrownBy(() -> c.callTool("nope", args("{}"))).isInstanceOf(ClonedException.class)
            .hasMessageStartingWith("upstream test answered tools/call with error ").hasMessageContaining("no tool nope");
        assertThat(c.alive()).isTrue();
    }

    @Test
    void should_match_answers_to_concurrent_calls_by_id() throws Exception {
        StdioMcpClient c = start(options(Duration.ofSeconds(60)));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    List<String> got = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        got.add(text(c.callTool("echo", args("{\"message\":\"" + thread + "-" + i + "\"}"))));
                    }
                    return got;
                }));
            }
            for (int t = 0; t < 8; t++) {
                List<String> got = results.get(t).get(120, TimeUnit.SECONDS);
                for (int i = 0; i < 50; i++) {
                    assertThat(got.get(i)).isEqualTo("echo: " + t + "-" + i);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void should_answer_calls_made_without_waiting_with_the_servers_result_or_its_failure() throws Exception {
        StdioMcpClient c = start(options(Duration.ofSeconds(60)));

        JsonNode r = c.callToolAsync("echo", args("{\"message\":\"async\"}")).get(30, TimeUnit.SECONDS);
        assertThat(text(r)).isEqualTo("echo: async");
        assertThat(r.path("structuredContent").path("echoed").asText()).isEqualTo("async");
        assertThat(c.callToolAsync("fail", args("{}")).get(30, TimeUnit.SECONDS).path("isError").asBoolean()).isTrue();
        assertThat(c.callToolAsync("nope", args("{}"))).failsWithin(30, TimeUnit.SECONDS)
            .withThrowableOfType(java.util.concurrent.ExecutionException.class).havingCause()
            .isInstanceOf(ClonedException.class).withMessageContaining("answered tools/call with error");

        assertThat(c.callToolAsync("exit", args("{\"code\":5}"))).failsWithin(30, TimeUnit.SECONDS)
            .withThrowableOfType(java.util.concurrent.ExecutionException.class).havingCause()
            .isInstanceOf(ClonedException.class).withMessageContaining("exited with code 5");
        assertThat(c.callToolAsync("echo", args("{\"message\":\"x\"}"))).isCompletedExceptionally();
    }

    @Test
    void should_fail_a_late_call_made_without_waiting_and_cancel_it_at_the_server() throws Exception {
        StdioMcpClient c = start(options(Duration.ofMillis(500)));

        assertThat(c.callToolAsync("sleep", args("{\"ms\":30000}"))).failsWithin(30, TimeUnit.SECONDS)
            .withThrowableOfType(java.util.concurrent.ExecutionException.class).havingCause()
            .isInstanceOfSatisfying(ClonedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONNECTOR_FAILED))
            .withMessage("upstream test did not answer tools/call within 500 ms");
        awaitStderr("cancelled ");
        assertThat(text(c.callToolAsync("echo", args("{\"message\":\"on\"}")).get(30, TimeUnit.SECONDS)))
            .isEqualTo("echo: on");
    }

    @Test
    void should_not_block_the_caller_when_the_server_stops_reading_and_deliver_every_call_once_it_reads() throws Exception {
        StdioMcpClient c = start(options(Duration.ofSeconds(60)));
        long stalledFrom = System.nanoTime();
        assertThat(text(c.callTool("stall", args("{\"ms\":4000}")))).isEqualTo("stalled 4000");
        String filler = "y".repeat(8 * 1024); // 40 requests of 8 KiB: several times what the pipe and node buffer
        List<java.util.concurrent.CompletableFuture<JsonNode>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            calls.add(c.callToolAsync("echo", args("{\"message\":\"" + i + filler + "\"}")));
        }
        // had a write waited for the server to read, the loop above would have lasted until the stall's end
        assertThat(System.nanoTime() - stalledFrom).as("the calls returned while the server did not read")
            .isLessThan(TimeUnit.MILLISECONDS.toNanos(2500));
        assertThat(calls).as("calls unanswered while the server does not read").anyMatch(f -> !f.isDone());
        calls.add(c.callToolAsync("echo", args("{\"message\":\"" + "z".repeat(40 * 1024) + "\"}"))); // over the room
        for (int i = 0; i < 40; i++) {
            assertThat(text(calls.get(i).get(60, TimeUnit.SECONDS))).isEqualTo("echo: " + i + filler);
        }
        assertThat(text(calls.get(40).get(60, TimeUnit.SECONDS))).hasSize(6 + 40 * 1024);
    }

    @Test
    void should_fail_at_once_with_the_exit_code_when_the_server_exits_before_the_handshake() {
        assertThatThrownBy(() -> start(options(Duration.ofSeconds(120), "exit-at-start")))
            .isInstanceOfSatisfying(ClonedException.class, e -> assertThat(e.hint()).contains("test-server.mjs"))
            .hasMessageStartingWith("upstream test exited with code 3 before it answered initialize");
        awaitStderr("exit-at-start: giving up");
    }

    @Test
    void should_fail_and_stop_the_process_when_the_server_never_answers_the_handshake() {
        assertThatThrownBy(() -> start(options(Duration.ofSeconds(1), "silent")))
            .hasMessage("upstream test did not answer initialize within 1 s");
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains("test-server.mjs silent")))
            .isEmpty();
    }

    @Test
    void should_stop_what_a_launcher_started_when_the_server_is_stopped() throws Exception {
        // sh runs the server in the background and waits, as launchers like npx run theirs as a child
        List<String> cmd = List.of("sh", "-c", "node \"$0\" silent launched-by-sh & wait",
            NodeClient.project().resolve("test-server.mjs").toString());
        assertThatThrownBy(() -> start(StdioMcpClient.Options.of("upstream test", cmd, Duration.ofSeconds(1))))
            .hasMessage("upstream test did not answer initialize within 1 s");

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().orElse("").contains("silent launched-by-sh"))) {
            assertThat(System.nanoTime()).as("the launched server is stopped too").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void should_refuse_a_server_that_speaks_a_protocol_version_it_does_not_know() {
        assertThatThrownBy(() -> start(options(Duration.ofSeconds(30), "old-version")))
            .hasMessageStartingWith("upstream test speaks MCP version '1999-01-01'; the gateway speaks 2025-11-25");
    }

    @Test
    void should_say_which_command_cannot_start() {
        assertThatThrownBy(() -> start(StdioMcpClient.Options.of("upstream x", List.of("/nonexistent/mcp-server"),
            Duration.ofSeconds(5)))).isInstanceOfSatisfying(ClonedException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CONNECTOR_FAILED))
            .hasMessageStartingWith("cannot start upstream x (/nonexistent/mcp-server)");
    }

    @Test
    void should_call_the_reference_server_everything() throws Exception {
        StdioMcpClient c = start(StdioMcpClient.Options.of("upstream everything",
            List.of("node", NodeClient.everything().toString(), "stdio"), Duration.ofSeconds(30)));

        assertThat(c.listTools()).extracting(t -> t.path("name").asText()).contains("echo");
        assertThat(text(c.callTool("echo", args("{\"message\":\"hello everything\"}")))).contains("hello everything");
    }

    private void awaitStderr(String fragment) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (stderr.stream().noneMatch(l -> l.contains(fragment))) {
            assertThat(System.nanoTime()).as("stderr so far: " + stderr).isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
