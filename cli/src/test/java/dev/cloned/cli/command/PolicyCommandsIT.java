package dev.cloned.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.rules.json.CanonicalJson;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the real {@code cloned} jar as a subprocess against a workspace in a temp directory. */
class PolicyCommandsIT {
    private static final Path JAR = Path.of("target", "cloned.jar").toAbsolutePath();

    @TempDir
    Path ws;

    record Run(int code, String out, String err) {
        JsonNode json() throws IOException {
            return CanonicalJson.MAPPER.readTree(out);
        }
    }

    private Run cloned(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(ws, "out", ".txt");
        Path err = Files.createTempFile(ws, "err", ".txt");
        Process p = new ProcessBuilder(cmd).directory(ws.toFile()).redirectOutput(out.toFile())
            .redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("cloned " + String.join(" ", args) + " finished").isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err));
    }

    @BeforeEach
    void init() throws Exception {
        assertThat(cloned("init", "--type", "personal").code()).isZero();
    }

    @Test
    void should_report_the_changed_decisions_and_write_markdown_when_simulating_a_candidate_overlay() throws Exception {
        assertThat(cloned("call", "cloned.internal.meter@v1", "-i", "{\"units\":6000}").code()).isZero();
        assertThat(cloned("call", "cloned.internal.meter@v1", "-i", "{\"units\":6000}").code()).isEqualTo(3);
        assertThat(cloned("call", "cloned.internal.echo@v1").code()).isZero();
        Files.writeString(ws.resolve("loose.yaml"), "budgets:\n  api_requests: {period: month, cap: 20000}\n");

        Run r = cloned("policy", "simulate", "--candidate", "loose.yaml", "--report", "sim.md", "-o", "json");

        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = r.json();
        assertThat(j.path("replayed").asInt()).isEqualTo(3);
        assertThat(j.path("changed").asInt()).isEqualTo(1);
        assertThat(j.path("transitions").path("deny->allow").asInt()).isEqualTo(1);
        assertThat(j.path("samples").get(0).path("tool_id").asText()).isEqualTo("cloned.internal.meter@v1");
        assertThat(j.path("samples").get(0).path("from_code").asText()).isEqualTo("budget_exceeded");
        assertThat(Files.readString(ws.resolve("sim.md"))).startsWith("# Policy simulation").contains("| deny->allow | 1 |");
    }

    @Test
    void should_enrich_hand_written_calls_like_live_ones_when_simulating_with_calls() throws Exception {
        Files.writeString(ws.resolve("calls.jsonl"), """
            {"tool_id": "cloned.internal.fetch@v1", "input": {"url": "https://api.example.com/a"}}
            {"tool_id": "cloned.internal.fetch@v1", "input": {"url": "https://localhost/a"}, "at": "2026-03-01T10:00:00Z"}
            {"tool_id": "cloned.internal.echo@v1", "input": {}}
            """);
        Files.writeString(ws.resolve("tight.drl"), """
            package dev.cloned.custom
            import dev.cloned.rules.fact.ToolCall
            import dev.cloned.rules.fact.Verdicts

            rule "deny_localhost_fetch"
            when
                $c : ToolCall( egressHost == "localhost" )
                $o : Verdicts()
            then
                $o.deny(kcontext, "no_localhost", "no fetching localhost");
            end
            """);

        Run r = cloned("policy", "simulate", "--calls", "calls.jsonl", "--candidate", "tight.drl");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("replayed 3 decisions; 1 would change").contains("allow->deny")
            .contains("deny_localhost_fetch");
    }

    @Test
    void should_show_the_rejected_change_with_file_and_line_when_a_rule_file_is_broken() throws Exception {
        assertThat(cloned("call", "cloned.internal.echo@v1").code()).isZero();
        Run before = cloned("policy", "status");
        assertThat(before.out()).contains("rejected:  none").contains("(same as active)");
        Files.writeString(ws.resolve(".cloned/policy/bad.drl"), "package x\n\nrule \"bad\"\nwhen\n  eval(nosuch)\nthen\nend\n");

        Run call = cloned("call", "cloned.internal.echo@v1");
        Run status = cloned("policy", "status", "-o", "json");

        assertThat(call.code()).as("the last good pack keeps deciding").isZero();
        assertThat(call.err()).contains("bad.drl:").contains("last good policy");
        assertThat(status.code()).isZero();
        JsonNode s = status.json();
        assertThat(s.path("rejection_pending").asBoolean()).isTrue();
        assertThat(s.path("last_rejection").path("error").asText()).contains("bad.drl:");
        assertThat(s.path("in_sync").asBoolean()).isFalse();
        assertThat(Files.readString(ws.resolve(".cloned/audit.log"))).contains("\"event\":\"policy.rejected\"");
    }

    @Test
    void should_explain_every_fired_rule_and_why_deny_wins_when_explaining_a_call() throws Exception {
        Files.writeString(ws.resolve("call.json"), "{\"tool_id\":\"cloned.internal.fetch@v1\",\"input\":{\"url\":\"https://evil.example/\"}}");

        Run r = cloned("policy", "explain", "--call", "call.json");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("1. allow_registered_tool").contains("matched Egress(evil.example")
            .contains("why: deny: deny by deny_egress_not_allowlisted (egress_denied) — deny beats approval beats allow");
    }

    @Test
    void should_list_cap_and_allowlist_changes_when_diffing_built_in_packs() throws Exception {
        Run r = cloned("policy", "diff", "personal", "enterprise", "-o", "json");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.json().path("rules")).isEmpty();
        assertThat(r.json().path("data").toString()).contains("\"path\":\"budgets.api_requests\",\"change\":\"changed\"")
            .contains("enterprise.trusted");
    }
}
