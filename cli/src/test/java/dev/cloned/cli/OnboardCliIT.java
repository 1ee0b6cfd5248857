package dev.cloned.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.rules.json.CanonicalJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code cloned graph} and {@code cloned onboard} as a real subprocess: scripted, interactive over stdin, dry run. */
class OnboardCliIT {
    @TempDir
    Path ws;

    private CliProcess.Run cloned(String... args) throws Exception {
        return CliProcess.run(ws, args);
    }

    private static JsonNode json(CliProcess.Run r) throws Exception {
        return CanonicalJson.MAPPER.readTree(r.out());
    }

    @Test
    void should_export_the_graph_in_every_format_and_reject_an_unknown_one() throws Exception {
        assertThat(cloned("graph", "show").out()).startsWith("digraph").contains("blueprint.researcher");
        CliProcess.Run js = cloned("graph", "show", "--format", "json");
        assertThat(json(js).path("nodes").findValuesAsText("id")).contains("connector.web.search", "web.search");
        assertThat(cloned("graph", "show", "--format", "mermaid").out()).startsWith("flowchart");

        CliProcess.Run bad = cloned("graph", "show", "--format", "png");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("format must be dot, json or mermaid");
    }

    @Test
    void should_explain_capabilities_connectors_and_what_is_missing_when_given_a_goal() throws Exception {
        CliProcess.Run text = cloned("graph", "explain", "legal", "research", "on", "gdpr");
        assertThat(text.exit()).as(text.all()).isZero();
        assertThat(text.out()).contains("matches blueprint.legal_research")
            .contains("capabilities: ").contains("legal.case_law.search")
            .contains("missing legal.case_law.search: no known connector provides legal.case_law.search")
            .contains("missing citations.lookup: install connector.citations.crossref");

        CliProcess.Run js = cloned("graph", "explain", "write a research report", "-o", "json");
        JsonNode plan = json(js).path("plans").get(0);
        assertThat(plan.path("blueprint_id").asText()).isEqualTo("blueprint.researcher");
        assertThat(CanonicalJson.MAPPER.convertValue(plan.path("capabilities"), List.class))
            .contains("web.search", "citations.lookup", "report.compose", "content.guard");
        assertThat(plan.path("missing").findValuesAsText("connector")).contains("connector.web.search");
    }

    @Test
    void should_write_the_plan_run_allowed_steps_and_audit_them_when_scripted() throws Exception {
        cloned("init");

        CliProcess.Run r = cloned("onboard", "--goal", "build a prototype app on github", "--yes", "-o", "json");

        assertThat(r.exit()).as(r.all()).isZero();
        JsonNode out = json(r);
        assertThat(out.path("blueprint_id").asText()).isEqualTo("blueprint.builder");
        assertThat(out.path("applied").asBoolean()).isTrue();
        Path plan = ws.resolve(out.path("path").asText());
        assertThat(Files.readString(plan)).contains("# Plan of Record: blueprint.builder")
            .contains("## Connectors to install, in order").contains("- [ ] `connector.github.app`: ")
            .contains("## Budget estimate per month").contains("`pipeline.builder.scaffold`");
        assertThat(out.path("pipeline").findValuesAsText("effect")).contains("allow", "require_approval");
        assertThat(out.path("outcomes").findValuesAsText("outcome")).contains("done").doesNotContain("failed");
        List<String> audit = Files.readAllLines(ws.resolve(".cloned/audit.log"));
        assertThat(audit.stream().filter(l -> l.contains("\"event\":\"onboard.step\""))).hasSize(out.path("setup").size());
        assertThat(Files.readString(ws.resolve(".cloned/registry.yaml"))).contains("recommended:")
            .contains("id: connector.github.app");
        assertThat(cloned("audit", "verify").exit()).isZero();
    }

    @Test
    void should_select_under_each_constraint_with_the_rule_that_decided() throws Exception {
        cloned("init");
        String both = "research and publish a youtube video";

        JsonNode noPub = json(cloned("onboard", "--goal", both, "--constraint", "no_publishing", "--dry-run", "-o", "json"));
        assertThat(noPub.path("blueprint_id").asText()).isEqualTo("blueprint.researcher");
        assertThat(excludedBy(noPub, "blueprint.creator")).contains("no-publishing-excludes-publishers");

        JsonNode perCategory = json(cloned("onboard", "--goal", both, "--constraint", "max_monthly_budget.content_publish=2",
            "--dry-run", "-o", "json"));
        assertThat(perCategory.path("blueprint_id").asText()).isEqualTo("blueprint.researcher");
        assertThat(excludedBy(perCategory, "blueprint.creator")).contains("budget-category-over-limit-excluded");

        JsonNode tier = json(cloned("onboard", "--goal", "legal research", "--constraint", "tier=enterprise",
            "--dry-run", "-o", "json"));
        assertThat(tier.path("blueprint_id").asText()).isEqualTo("blueprint.legal_research");
        assertThat(tier.path("selection").path("ranked").get(0).path("reasons").findValuesAsText("rule"))
            .contains("tier-policy-pack-bonus");

        CliProcess.Run offline = cloned("onboard", "--goal", "write a research report", "--constraint", "offline",
            "--dry-run");
        assertThat(offline.exit()).isEqualTo(2);
        assertThat(offline.out()).contains("offline-excludes-remote");
        assertThat(offline.err()).contains("no blueprint fits this goal under these constraints");
    }

    private static List<String> excludedBy(JsonNode out, String blueprint) {
        for (JsonNode e : out.path("selection").path("excluded")) {
            if (e.path("blueprint_id").asText().equals(blueprint)) {
                return e.path("reasons").findValuesAsText("rule");
            }
        }
        return List.of();
    }

    @Test
    void should_hold_a_conversation_over_stdin_when_no_goal_is_given() throws Exception {
        cloned("init");
        String answers = "write a research report on heat pumps\nmax_monthly_budget=400\n\ny\n";

        CliProcess.Run r = CliProcess.runWithStdin(ws, answers, "onboard");

        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("What should your agents do?")
            .contains("Constraints (Enter for none)")
            .contains("Best fit: blueprint.researcher")
            .contains("budget-near-limit-penalty")
            .contains("Excluded: blueprint.legal_research")
            .contains("Use blueprint.researcher? [Y/n")
            .contains("Pre-flight")
            .contains("Write .cloned/plans/plan_")
            .contains("Plan of Record written: .cloned/plans/plan_");
        try (Stream<Path> plans = Files.list(ws.resolve(".cloned/plans"))) {
            Path plan = plans.findFirst().orElseThrow();
            assertThat(Files.readString(plan)).contains("Constraints: `max_monthly_budget=400`");
        }
    }

    @Test
    void should_leave_every_workspace_file_byte_for_byte_unchanged_when_dry_run() throws Exception {
        cloned("init");
        assertThat(cloned("onboard", "--goal", "write a research report", "--yes").exit()).isZero();
        Map<String, byte[]> before = snapshot();

        CliProcess.Run dry = cloned("onboard", "--goal", "legal research on gdpr case law", "--dry-run");

        assertThat(dry.exit()).as(dry.all()).isZero();
        assertThat(dry.out()).contains("# Plan of Record: blueprint.legal_research")
            .contains("## Pre-flight against policy.personal.default")
            .contains("dry run: the plan was not written and no setup step ran.");
        Map<String, byte[]> after = snapshot();
        assertThat(after.keySet()).isEqualTo(before.keySet());
        after.forEach((k, v) -> assertThat(v).as(k).isEqualTo(before.get(k)));
    }

    private Map<String, byte[]> snapshot() throws Exception {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(ws.resolve(".cloned"))) {
            for (Path p : s.filter(Files::isRegularFile).filter(p -> !p.startsWith(ws.resolve(".cloned/cache"))).toList()) {
                m.put(ws.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }
}
