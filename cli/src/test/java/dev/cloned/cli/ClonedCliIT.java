package dev.cloned.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.cloned.rules.json.CanonicalJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The real CLI as a subprocess against real workspaces: every governed branch, end to end. */
class ClonedCliIT {
    @TempDir
    Path ws;

    private CliProcess.Run cloned(String... args) throws Exception {
        return CliProcess.run(ws, args);
    }

    private JsonNode json(CliProcess.Run r) throws Exception {
        return CanonicalJson.MAPPER.readTree(r.out());
    }

    @Test
    void should_init_idempotently_and_list_only_when_dry_run() throws Exception {
        CliProcess.Run dry = cloned("init", "--type", "shared", "--dry-run");
        assertThat(dry.exit()).isZero();
        assertThat(dry.out()).contains("would create").contains(".cloned/config.yaml");
        try (Stream<Path> s = Files.list(ws)) {
            assertThat(s).as("dry run creates nothing").isEmpty();
        }

        assertThat(cloned("init", "--type", "shared").exit()).isZero();
        Files.writeString(ws.resolve(".cloned/audit.log"), "{\"keep\":true}\n");
        CliProcess.Run again = cloned("init", "--type", "shared", "--output", "json");
        assertThat(again.exit()).isZero();
        assertThat(json(again).path("steps").findValuesAsText("action")).containsOnly("exists");
        assertThat(ws.resolve(".cloned/audit.log")).hasContent("{\"keep\":true}");
    }

    @Test
    void should_walk_every_branch_of_the_governed_path() throws Exception {
        cloned("init", "--type", "personal");

        CliProcess.Run ok = cloned("call", "cloned.internal.echo@v1", "--input", "{\"a\":1}", "-o", "json");
        assertThat(ok.exit()).as(ok.all()).isZero();
        assertThat(json(ok).path("output").path("echo").path("a").asInt()).isEqualTo(1);

        CliProcess.Run egress = cloned("call", "cloned.internal.fetch@v1", "--input", "{\"url\":\"https://example.org\"}");
        assertThat(egress.exit()).isEqualTo(3);
        assertThat(egress.out()).contains("egress_denied").contains("deny_egress_not_allowlisted");

        CliProcess.Run budget = cloned("call", "cloned.internal.meter@v1", "--input", "{\"units\":10001}");
        assertThat(budget.exit()).isEqualTo(3);
        assertThat(budget.out()).contains("budget_exceeded");

        Files.writeString(ws.resolve(".cloned/policy/policy.personal.default.yaml"),
            "denylists:\n  tools: [cloned.internal.echo@v1]\n");
        CliProcess.Run listed = cloned("call", "cloned.internal.echo@v1", "-o", "json");
        assertThat(listed.exit()).isEqualTo(3);
        assertThat(json(listed).path("code").asText()).isEqualTo("tool_denylisted");

        String input = "{\"name\":\"n.md\",\"content\":\"approved content\"}";
        CliProcess.Run pending = cloned("call", "cloned.internal.artifact.write@v1", "--input", input, "-o", "json");
        assertThat(pending.exit()).isEqualTo(3);
        assertThat(json(pending).path("status").asText()).isEqualTo("pending_approval");
        String approval = json(pending).path("approval_id").asText();
        assertThat(cloned("approvals", "list", "--status", "pending").out()).contains(approval);

        assertThat(cloned("approvals", "approve", approval, "--reason", "fine").exit()).isZero();
        CliProcess.Run runs = cloned("call", "cloned.internal.artifact.write@v1", "--input", input);
        assertThat(runs.exit()).as(runs.all()).isZero();
        assertThat(ws.resolve(".cloned/artifacts/n.md")).hasContent("approved content");
        CliProcess.Run again = cloned("call", "cloned.internal.artifact.write@v1", "--input", input, "-o", "json");
        assertThat(json(again).path("status").asText()).as("an approval is single-use").isEqualTo("pending_approval");

        CliProcess.Run verify = cloned("audit", "verify");
        assertThat(verify.exit()).as(verify.all()).isZero();
        assertThat(verify.out()).contains("intact");
    }

    @Test
    void should_change_nothing_but_one_dry_run_entry_when_dry_run() throws Exception {
        cloned("init");
        Map<String, byte[]> before = snapshot();

        CliProcess.Run dry = cloned("call", "cloned.internal.meter@v1", "--input", "{\"units\":7}", "--dry-run", "-o", "json");

        assertThat(dry.exit()).isZero();
        assertThat(json(dry).path("status").asText()).isEqualTo("dry_run");
        assertThat(json(dry).path("output").path("charges").get(0).path("amount").asInt()).isEqualTo(7);
        List<String> audit = Files.readAllLines(ws.resolve(".cloned/audit.log"));
        assertThat(audit).as("init's policy.activated entry, then the dry run's only").hasSize(2);
        assertThat(audit.get(0)).contains("\"event\":\"policy.activated\"");
        assertThat(audit.get(1)).contains("\"outcome\":\"dry_run\"");
        assertThat(json(cloned("budgets", "-o", "json")).findValues("used")).allSatisfy(u -> assertThat(u.asLong()).isZero());
        Map<String, byte[]> after = snapshot();
        after.remove(".cloned/audit.log");
        before.remove(".cloned/audit.log");
        assertThat(after.keySet()).isEqualTo(before.keySet());
        after.forEach((k, v) -> {
            if (!k.startsWith(".cloned/state.db")) { // SQLite may checkpoint its WAL; its rows are checked above
                assertThat(v).as(k).isEqualTo(before.get(k));
            }
        });
    }

    private Map<String, byte[]> snapshot() throws Exception {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(ws.resolve(".cloned"))) {
            for (Path p : s.filter(Files::isRegularFile).filter(p -> !p.toString().contains("/cache/")).toList()) {
                m.put(ws.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }

    @Test
    void should_exit_non_zero_and_name_the_line_when_the_audit_is_tampered_with() throws Exception {
        cloned("init");
        for (int i = 0; i < 3; i++) {
            cloned("call", "cloned.internal.echo@v1", "--input", "{\"i\":" + i + "}");
        }
        Path log = ws.resolve(".cloned/audit.log");
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(log));
        lines.set(4, lines.get(4).replace("\"success\"", "\"failure\""));
        Files.write(log, lines);

        CliProcess.Run v = cloned("audit", "verify");

        assertThat(v.exit()).isNotZero();
        assertThat(v.err()).contains("line 5");
        CliProcess.Run tail = cloned("audit", "tail", "-n", "2");
        assertThat(tail.out().lines()).hasSize(2);
    }

    @Test
    void should_deny_calls_when_lines_were_cut_from_the_end_of_the_log_until_an_explicit_reindex() throws Exception {
        cloned("init");
        cloned("call", "cloned.internal.echo@v1", "--input", "{\"i\":1}");
        Path log = ws.resolve(".cloned/audit.log");
        List<String> kept = Files.readAllLines(log);
        cloned("call", "cloned.internal.echo@v1", "--input", "{\"i\":2}");
        Files.write(log, kept); // the last call's two entries removed: the shorter chain alone still verifies

        CliProcess.Run v = cloned("audit", "verify");
        assertThat(v.exit()).as(v.all()).isNotZero();
        assertThat(v.err()).contains("line " + (kept.size() + 1)).contains("removed from the end");
        CliProcess.Run denied = cloned("call", "cloned.internal.echo@v1", "--input", "{\"i\":3}");
        assertThat(denied.exit()).as(denied.all()).isEqualTo(3);
        assertThat(denied.out()).contains("audit log refused");
        assertThat(Files.readAllLines(log)).isEqualTo(kept);
        CliProcess.Run doctor = cloned("doctor");
        assertThat(doctor.out()).contains("audit.chain").contains("cloned audit reindex");

        CliProcess.Run dry = cloned("audit", "reindex", "--dry-run");
        assertThat(dry.exit()).as(dry.all()).isZero();
        assertThat(Files.readAllLines(log)).isEqualTo(kept);
        CliProcess.Run re = cloned("audit", "reindex", "--output", "json");
        assertThat(re.exit()).as(re.all()).isZero();
        assertThat(re.out()).contains("\"indexed\" : " + kept.size()).contains("removed from the end");
        assertThat(Files.readAllLines(log).get(kept.size())).contains("\"event\":\"audit.reindexed\"");
        assertThat(cloned("call", "cloned.internal.echo@v1", "--input", "{\"i\":4}").exit()).isZero();
        CliProcess.Run ok = cloned("audit", "verify");
        assertThat(ok.exit()).as(ok.all()).isZero();
    }

    @Test
    void should_apply_a_firewall_edit_to_the_very_next_call() throws Exception {
        HttpServer local = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        local.createContext("/", ex -> {
            byte[] b = "pong".getBytes();
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(b);
            }
        });
        local.start();
        try {
            cloned("init", "--type", "enterprise"); // no global egress at all
            String input = "{\"url\":\"http://127.0.0.1:" + local.getAddress().getPort() + "/\"}";
            assertThat(cloned("call", "cloned.internal.fetch@v1", "--input", input).exit()).isEqualTo(3);
            assertThat(cloned("firewall", "check", "127.0.0.1", "--tool", "cloned.internal.fetch@v1").exit()).isEqualTo(3);

            assertThat(cloned("firewall", "allow", "127.0.0.1", "--tool", "cloned.internal.fetch@v1").exit()).isZero();
            assertThat(cloned("firewall", "allow", "127.0.0.1", "--tool", "cloned.internal.fetch@v1").out())
                .contains("already allowed");
            CliProcess.Run check = cloned("firewall", "check", "127.0.0.1", "--tool", "cloned.internal.fetch@v1");
            assertThat(check.exit()).isZero();
            assertThat(check.out()).contains("egress_by_tool[cloned.internal.fetch@v1]");
            CliProcess.Run fetched = cloned("call", "cloned.internal.fetch@v1", "--input", input, "-o", "json");
            assertThat(fetched.exit()).as(fetched.all()).isZero();
            assertThat(json(fetched).path("output").path("body").asText()).isEqualTo("pong");
            assertThat(cloned("firewall", "list").out()).contains("127.0.0.1").contains("overlay");
            assertThat(Files.readString(ws.resolve(".cloned/policy/policy.enterprise.default.yaml")))
                .containsOnlyOnce("127.0.0.1");

            assertThat(cloned("firewall", "remove", "127.0.0.1", "--tool", "cloned.internal.fetch@v1").exit()).isZero();
            assertThat(cloned("call", "cloned.internal.fetch@v1", "--input", input).exit()).isEqualTo(3);
            CliProcess.Run broad = cloned("firewall", "allow", "*.com");
            assertThat(broad.exit()).isEqualTo(2);
            assertThat(broad.err()).contains("too broad");
        } finally {
            local.stop(0);
        }
    }

    @Test
    void should_report_file_and_line_and_keep_the_last_good_pack_when_a_custom_rule_is_broken() throws Exception {
        cloned("init");
        assertThat(cloned("policy", "validate").exit()).isZero();
        Files.writeString(ws.resolve(".cloned/policy/custom.drl"),
            "package x\nimport dev.cloned.rules.fact.ToolCall\nrule \"bad\"\nwhen\n  ToolCall( nope == true )\nthen\nend\n");

        CliProcess.Run v = cloned("policy", "validate");
        assertThat(v.exit()).isEqualTo(4);
        assertThat(v.err()).contains("custom.drl:5");

        CliProcess.Run call = cloned("call", "cloned.internal.echo@v1");
        assertThat(call.exit()).as("the broken edit does not replace the active pack: the last good one decides")
            .isZero();
        assertThat(call.err()).contains("custom.drl:5").contains("last good policy");
        CliProcess.Run status = cloned("policy", "status");
        assertThat(status.out()).contains("custom.drl:5");
    }

    @Test
    void should_show_eval_and_test_the_pack() throws Exception {
        cloned("init");
        CliProcess.Run show = cloned("policy", "show");
        assertThat(show.exit()).isZero();
        assertThat(show.out()).contains("policy.personal.default").contains("deny_egress_not_allowlisted  <- lib:governance");

        Path env = ws.resolve("call.json");
        Files.writeString(env, "{\"tool_id\":\"cloned.internal.fetch@v1\",\"input\":{\"url\":\"https://evil.example\"}}");
        CliProcess.Run eval = cloned("policy", "eval", "--call", env.toString());
        assertThat(eval.exit()).isZero();
        assertThat(eval.out()).startsWith("deny (egress_denied)");
        assertThat(Files.readAllLines(ws.resolve(".cloned/audit.log"))).as("eval changes nothing: init's entry only")
            .hasSize(1);

        Path packs = Path.of(System.getProperty("cloned.root")).resolve("policy/packs");
        CliProcess.Run test = cloned("policy", "test", packs.resolve("enterprise").toString());
        assertThat(test.exit()).as(test.all()).isZero();
        assertThat(test.out().lines().reduce((a, b) -> b).orElse("")).matches("\\d+ passed, 0 failed");
    }

    @Test
    void should_exit_2_with_one_clear_line_when_input_is_bad() throws Exception {
        cloned("init");
        CliProcess.Run bad = cloned("call", "cloned.internal.echo@v1", "--input", "{not json");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).startsWith("error: --input is not valid JSON");

        CliProcess.Run badTool = cloned("call", "no-version-here", "--input", "{}");
        assertThat(badTool.exit()).isEqualTo(2);
        assertThat(badTool.err()).contains("/tool_id");

        assertThat(cloned("call", "--no-such-option").exit()).isEqualTo(2);
        CliProcess.Run noWs = CliProcess.run(ws.resolve(".."), "budgets", "--workspace", ws.resolve("nowhere").toString());
        assertThat(noWs.exit()).isEqualTo(2);
        assertThat(noWs.err()).contains("cloned init");

        CliProcess.Run rootOption = CliProcess.run(ws.resolve(".."), "-w", ws.toString(), "approvals", "list", "-o", "json");
        assertThat(rootOption.exit()).as(rootOption.all()).isZero();
        assertThat(rootOption.out().trim()).startsWith("[");
    }

    @Test
    void should_run_the_demo_and_verify_its_audit() throws Exception {
        CliProcess.Run demo = cloned("demo", "--dir", ws.resolve("demo").toString());
        assertThat(demo.exit()).as(demo.all()).isZero();
        assertThat(demo.out()).contains("egress_denied").contains("budget_exceeded").contains("pending_approval")
            .contains("dry_run").contains("audit chain intact");
    }
}
