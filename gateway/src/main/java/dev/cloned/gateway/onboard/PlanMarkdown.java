package dev.cloned.gateway.onboard;

import dev.cloned.graph.BlueprintPlan;
import dev.cloned.graph.CapabilityGraph;
import dev.cloned.graph.ConnectorChoice;
import dev.cloned.graph.CoverBasis;
import dev.cloned.graph.MissingCapability;
import dev.cloned.rules.Decision;
import dev.cloned.rules.Effect;
import dev.cloned.rules.Reason;
import dev.cloned.rules.blueprint.ExcludedBlueprint;
import dev.cloned.rules.blueprint.RankedBlueprint;
import dev.cloned.rules.blueprint.ScoreReason;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Renders a {@link PlanOfRecord} as markdown. The output depends only on the plan's content; the id, time and
 * workspace are on the first line alone, so two plans for the same inputs differ in that line only.
 */
public final class PlanMarkdown {
    private final CapabilityGraph graph;

    public PlanMarkdown(CapabilityGraph graph) {
        this.graph = graph;
    }

    /** The plan as a markdown document. */
    public String render(PlanOfRecord p) {
        StringBuilder md = new StringBuilder();
        md.append("<!-- cloned plan of record | id: ").append(p.id()).append(" | created: ").append(p.createdAt())
            .append(" | workspace: ").append(p.workspaceId()).append(" -->\n");
        md.append("# Plan of Record: ").append(p.chosen().blueprintId()).append("\n\n");
        goal(md, p);
        chosen(md, p);
        alternatives(md, p);
        closure(md, p.plan());
        connectors(md, p.plan());
        missing(md, p.plan());
        manualSteps(md, p.plan());
        approvals(md, p);
        budget(md, p);
        preflight(md, p);
        setup(md, p);
        pipeline(md, p);
        return md.toString();
    }

    private static void goal(StringBuilder md, PlanOfRecord p) {
        md.append("## Goal\n\n> ").append(p.goal().strip().replace("\n", " ")).append("\n\n");
        md.append("Constraints: ").append(p.constraints().isEmpty() ? "none" : p.constraints().entrySet().stream()
            .map(e -> "`" + (e.getValue().equals("true") ? e.getKey() : e.getKey() + "=" + e.getValue()) + "`")
            .collect(Collectors.joining(", "))).append("\n\n");
    }

    private static void chosen(StringBuilder md, PlanOfRecord p) {
        RankedBlueprint c = p.chosen();
        md.append("## Chosen blueprint\n\n**").append(c.blueprintId()).append("** ")
            .append(c.plan().blueprint().version()).append(" (score ").append(c.score()).append("): ")
            .append(c.plan().blueprint().description()).append("\n\n");
        md.append("Why (rules that fired):\n\n| rule | score | reason |\n| --- | ---: | --- |\n");
        for (ScoreReason r : c.reasons()) {
            md.append("| ").append(r.rule()).append(" | ").append(signed(r.delta())).append(" | ").append(cell(r.message()))
                .append(" |\n");
        }
        if (c.reasons().isEmpty()) {
            md.append("| (none) | 0 | no rule scored it; it is the only blueprint left |\n");
        }
        md.append('\n');
        if (!p.selection().warnings().isEmpty()) {
            md.append("Warnings:\n\n");
            p.selection().warnings().forEach(w -> md.append("- ").append(w).append('\n'));
            md.append('\n');
        }
    }

    private static void alternatives(StringBuilder md, PlanOfRecord p) {
        md.append("## Alternatives\n\n| blueprint | score | why |\n| --- | ---: | --- |\n");
        int rows = 0;
        for (RankedBlueprint r : p.selection().ranked()) {
            if (!r.blueprintId().equals(p.chosen().blueprintId())) {
                md.append("| ").append(r.blueprintId()).append(" | ").append(r.score()).append(" | ")
                    .append(cell(reasons(r.reasons()))).append(" |\n");
                rows++;
            }
        }
        for (ExcludedBlueprint e : p.selection().excluded()) {
            md.append("| ").append(e.blueprintId()).append(" | excluded | ").append(cell(reasons(e.reasons())))
                .append(" |\n");
            rows++;
        }
        if (rows == 0) {
            md.append("| (none) | | no other blueprint exists |\n");
        }
        md.append('\n');
    }

    private void closure(StringBuilder md, BlueprintPlan plan) {
        md.append("## Capability closure\n\n| capability | risk | provided by |\n| --- | --- | --- |\n");
        for (String cap : plan.capabilities()) {
            String risk = graph.capability(cap).map(c -> c.riskLevel().wire()).orElse("?");
            String by = plan.connectors().stream().filter(c -> c.covers().contains(cap)).findFirst()
                .map(c -> "`" + c.connectorId() + "` (" + (c.installed() ? "installed" : "to install") + ")")
                .orElse("nothing: no known connector provides it");
            md.append("| `").append(cap).append("` | ").append(risk).append(" | ").append(by).append(" |\n");
        }
        md.append('\n');
    }

    private void connectors(StringBuilder md, BlueprintPlan plan) {
        md.append("## Connectors to install, in order\n\n");
        List<ConnectorChoice> todo = plan.connectorsToInstall();
        if (todo.isEmpty()) {
            md.append("None: the installed connectors cover every capability that a known connector provides.\n\n");
            return;
        }
        int i = 1;
        for (ConnectorChoice c : todo) {
            String version = graph.connector(c.connectorId()).map(x -> x.version()).orElse("?");
            md.append(i++).append(". `").append(c.connectorId()).append("` ").append(version).append(" from ")
                .append(c.publisherId()).append(c.basis() == CoverBasis.VERIFIED_PUBLISHER ? " (verified publisher)"
                    : " (publisher not verified in this workspace)").append(": covers ")
                .append(c.covers().stream().map(x -> "`" + x + "`").collect(Collectors.joining(", "))).append('\n');
        }
        md.append('\n');
        plan.connectors().stream().filter(ConnectorChoice::installed).forEach(c ->
            md.append("Already installed: `").append(c.connectorId()).append("`\n"));
        if (plan.connectors().stream().anyMatch(ConnectorChoice::installed)) {
            md.append('\n');
        }
    }

    private static void missing(StringBuilder md, BlueprintPlan plan) {
        md.append("## Missing capabilities\n\n");
        if (plan.missing().isEmpty()) {
            md.append("None.\n\n");
            return;
        }
        for (MissingCapability m : plan.missing()) {
            md.append("- `").append(m.capabilityId()).append("`: ").append(m.recommendation()).append('\n');
        }
        md.append('\n');
    }

    private static void manualSteps(StringBuilder md, BlueprintPlan plan) {
        md.append("## Manual steps\n\n");
        int n = 0;
        for (ConnectorChoice c : plan.connectorsToInstall()) {
            for (String step : c.manualSteps()) {
                md.append("- [ ] `").append(c.connectorId()).append("`: ").append(step).append('\n');
                n++;
            }
        }
        for (String note : plan.notes()) {
            md.append("- [ ] ").append(note).append('\n');
            n++;
        }
        md.append(n == 0 ? "None.\n\n" : "\n");
    }

    private static void approvals(StringBuilder md, PlanOfRecord p) {
        md.append("## Approvals this plan will need\n\n");
        int n = 0;
        if (!p.plan().requiredApprovals().isEmpty()) {
            md.append("- Capabilities of this blueprint name approvers: ")
                .append(String.join(", ", p.plan().requiredApprovals())).append('\n');
            n++;
        }
        for (SetupStep s : p.setup()) {
            if (s.status() == SetupStep.Status.NEEDS_APPROVAL) {
                md.append("- Setup: ").append(s.title()).append(": ").append(approval(s.decision())).append('\n');
                n++;
            }
        }
        for (CheckedCall c : calls(p)) {
            if (c.decision().effect() == Effect.REQUIRE_APPROVAL) {
                md.append("- Call `").append(c.toolId()).append("`: ").append(approval(c.decision())).append('\n');
                n++;
            }
        }
        md.append(n == 0 ? "None.\n\n" : "\n");
    }

    private static List<CheckedCall> calls(PlanOfRecord p) {
        List<CheckedCall> all = new java.util.ArrayList<>(p.pipeline());
        p.connectorTools().stream().filter(c -> all.stream().noneMatch(x -> x.toolId().equals(c.toolId())))
            .forEach(all::add);
        return all;
    }

    private static void budget(StringBuilder md, PlanOfRecord p) {
        md.append("## Budget estimate per month\n\n| category | estimate | pack cap | remaining now | note |\n")
            .append("| --- | ---: | --- | ---: | --- |\n");
        for (BudgetLine b : p.budget()) {
            md.append("| ").append(b.category()).append(" | ").append(number(b.monthlyEstimate())).append(" | ")
                .append(b.cap() == null ? "not capped" : b.cap() + " per " + b.period()).append(" | ")
                .append(b.remaining() == null ? "-" : b.remaining()).append(" | ")
                .append(b.overCap() ? "over the cap" : "").append(" |\n");
        }
        if (p.budget().isEmpty()) {
            md.append("| (none) | 0 | | | the blueprint estimates no cost |\n");
        }
        md.append('\n');
    }

    private static void preflight(StringBuilder md, PlanOfRecord p) {
        md.append("## Pre-flight against ").append(p.packId()).append("\n\n")
            .append("The policy engine decided each call below; nothing was dispatched. Tools of connectors that are not ")
            .append("installed yet were decided with the catalog's facts (connector, publisher, capabilities, risk, ")
            .append("cost, host).\n\n### Setup steps\n\n| # | step | tool | decision | decided by |\n")
            .append("| ---: | --- | --- | --- | --- |\n");
        int i = 1;
        for (SetupStep s : p.setup()) {
            md.append("| ").append(i++).append(" | ").append(cell(s.title())).append(" | ")
                .append(s.toolId() == null ? "-" : "`" + s.toolId() + "`").append(" | ")
                .append(s.decision() == null ? "local" : s.decision().effect().wire()).append(" | ")
                .append(s.decision() == null ? cell(s.note().isEmpty() ? "no policy decision needed" : s.note())
                    : cell(decidedBy(s.decision()))).append(" |\n");
        }
        md.append("\n### First pipeline: `").append(p.plan().blueprint().firstRunPipeline()).append("`\n\n");
        callTable(md, p.pipeline());
        md.append("### Tools of the connectors to install\n\n");
        if (p.connectorTools().isEmpty()) {
            md.append("None.\n\n");
        } else {
            callTable(md, p.connectorTools());
        }
    }

    private static void callTable(StringBuilder md, List<CheckedCall> calls) {
        md.append("| tool call | connector | host | facts | decision | decided by |\n")
            .append("| --- | --- | --- | --- | --- | --- |\n");
        for (CheckedCall c : calls) {
            md.append("| `").append(c.toolId()).append("` | ").append(c.connectorId() == null ? "-" : c.connectorId())
                .append(" | ").append(c.host() == null ? "-" : c.host()).append(" | ").append(c.source()).append(" | ")
                .append(c.decision().effect().wire()).append(" | ").append(cell(decidedBy(c.decision()))).append(" |\n");
        }
        md.append('\n');
    }

    private static void setup(StringBuilder md, PlanOfRecord p) {
        md.append("## Setup\n\nOnboarding runs the steps the policy allows without approval and records each in the ")
            .append("audit (`onboard.step`). The others wait for you:\n\n");
        for (SetupStep s : p.setup()) {
            md.append("- ").append(label(s.status())).append(": ").append(s.title());
            if (s.status() != SetupStep.Status.WILL_RUN && !s.note().isEmpty()) {
                md.append(" (").append(s.note()).append(')');
            }
            md.append('\n');
        }
        md.append('\n');
    }

    private static void pipeline(StringBuilder md, PlanOfRecord p) {
        BlueprintPlan plan = p.plan();
        md.append("## First pipeline to run\n\n`").append(plan.blueprint().firstRunPipeline())
            .append("`, expected tool calls: ")
            .append(plan.blueprint().expectedToolCalls().stream().map(t -> "`" + t + "`").collect(Collectors.joining(", ")))
            .append(".\n\n");
        long allowed = p.pipeline().stream().filter(c -> c.decision().effect() == Effect.ALLOW).count();
        long approval = p.pipeline().stream().filter(c -> c.decision().effect() == Effect.REQUIRE_APPROVAL).count();
        long denied = p.pipeline().stream().filter(c -> c.decision().effect() == Effect.DENY).count();
        md.append("Under the active policy: ").append(allowed).append(" allowed, ").append(approval)
            .append(" need approval, ").append(denied).append(" denied. Install and enable the connectors above, ")
            .append("finish the manual steps, then run the pipeline.\n");
    }

    /** The decisive rules and codes of a decision, e.g. {@code deny_egress_not_allowlisted (egress_denied)}. */
    static String decidedBy(Decision d) {
        String by = d.decisiveReasons().stream().map(r -> r.rule() + " (" + r.code() + ")").distinct()
            .collect(Collectors.joining("; "));
        if (d.effect() == Effect.REQUIRE_APPROVAL && !d.approvers().isEmpty()) {
            by += "; approvers: " + String.join(", ", d.approvers());
        }
        return by.isEmpty() ? "no rule" : by;
    }

    private static String approval(Decision d) {
        String rules = d.decisiveReasons().stream().map(Reason::rule).distinct().collect(Collectors.joining(", "));
        return (d.approvers().isEmpty() ? "approval" : "approval by " + String.join(", ", d.approvers()))
            + " (" + rules + ")";
    }

    private static String label(SetupStep.Status s) {
        switch (s) {
            case WILL_RUN:
                return "[run] allowed";
            case NEEDS_APPROVAL:
                return "[wait] needs approval";
            case DENIED:
                return "[skip] denied";
            default:
                return "[local]";
        }
    }

    private static String reasons(List<ScoreReason> reasons) {
        return reasons.isEmpty() ? "no rule scored it" : reasons.stream()
            .map(r -> r.rule() + (r.delta() == 0 ? "" : " " + signed(r.delta())) + ": " + r.message())
            .collect(Collectors.joining("; "));
    }

    private static String signed(int delta) {
        return delta > 0 ? "+" + delta : Integer.toString(delta);
    }

    private static String number(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.2f", d);
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
