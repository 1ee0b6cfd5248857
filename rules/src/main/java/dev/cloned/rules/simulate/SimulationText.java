package dev.cloned.rules.simulate;

import java.util.List;
import java.util.Map;

/** Renders a {@link SimulationReport} for people: plain text for the terminal, Markdown for a report file. */
public final class SimulationText {
    private SimulationText() {
    }

    /** Plain text, a few lines per section. */
    public static String text(SimulationReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append("baseline  ").append(shortHash(r.baselineHash())).append("   candidate  ")
            .append(shortHash(r.candidateHash())).append('\n');
        sb.append("replayed ").append(r.replayed()).append(" decisions");
        if (r.skippedDryRuns() > 0) {
            sb.append(" (").append(r.skippedDryRuns()).append(" dry runs skipped)");
        }
        sb.append("; ").append(r.changed()).append(" would change\n");
        r.transitions().entrySet().stream().sorted(Map.Entry.comparingByKey())
            .forEach(e -> sb.append("  ").append(pad(e.getKey(), 30)).append(e.getValue()).append('\n'));
        if (!r.byTool().isEmpty()) {
            sb.append("by tool:\n");
            r.byTool().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> sb.append("  ").append(pad(e.getKey(), 44)).append(e.getValue()).append('\n'));
            sb.append("by connector:\n");
            r.byConnector().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> sb.append("  ").append(pad(e.getKey(), 44)).append(e.getValue()).append('\n'));
        }
        if (!r.samples().isEmpty()) {
            sb.append("changed calls (first ").append(r.samples().size()).append("):\n");
            for (SimulationReport.ChangedCall c : r.samples()) {
                sb.append("  #").append(c.seq()).append(' ').append(c.at()).append(' ').append(c.toolId()).append("  ")
                    .append(c.transition()).append(" (").append(c.fromCode()).append(" -> ").append(c.toCode())
                    .append(")\n");
                sb.append("      baseline fired:  ").append(String.join(", ", c.baselineRules())).append('\n');
                sb.append("      candidate fired: ").append(String.join(", ", c.candidateRules())).append('\n');
            }
        }
        sb.append("budgets (charged / blocked calls, baseline -> candidate):\n");
        for (SimulationReport.BudgetImpact b : r.budgets()) {
            sb.append("  ").append(pad(b.category(), 18)).append("cap ").append(cap(b.baselineCap())).append(" -> ")
                .append(cap(b.candidateCap())).append("   charged ").append(b.baselineCharged()).append(" -> ")
                .append(b.candidateCharged()).append("   blocked ").append(b.baselineBlocked()).append(" -> ")
                .append(b.candidateBlocked()).append('\n');
        }
        if (r.recordedMismatches() > 0) {
            sb.append("note: ").append(r.recordedMismatches()).append(" recorded decision(s) differ from the baseline "
                + "replay (the active pack changed since, or usage before the replayed range was not seen)\n");
        }
        return sb.toString();
    }

    /** A Markdown report with tables, for review or a change request. */
    public static String markdown(SimulationReport r, String baselineName, String candidateName) {
        StringBuilder sb = new StringBuilder("# Policy simulation\n\n");
        sb.append("| | pack | hash |\n|---|---|---|\n");
        sb.append("| baseline | ").append(cell(baselineName)).append(" | `").append(r.baselineHash()).append("` |\n");
        sb.append("| candidate | ").append(cell(candidateName)).append(" | `").append(r.candidateHash()).append("` |\n\n");
        sb.append("Replayed **").append(r.replayed()).append("** decisions (").append(r.skippedDryRuns())
            .append(" dry runs skipped); **").append(r.changed()).append("** would change.\n\n");
        if (!r.transitions().isEmpty()) {
            sb.append("## Changes by transition\n\n| transition | calls |\n|---|---:|\n");
            r.transitions().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                sb.append("| ").append(e.getKey()).append(" | ").append(e.getValue()).append(" |\n"));
            sb.append('\n');
            table(sb, "tool", r.byTool());
            table(sb, "connector", r.byConnector());
        }
        if (!r.samples().isEmpty()) {
            sb.append("## Changed calls (first ").append(r.samples().size()).append(")\n\n")
                .append("| seq | time | tool | change | baseline rules | candidate rules |\n|---:|---|---|---|---|---|\n");
            for (SimulationReport.ChangedCall c : r.samples()) {
                sb.append("| ").append(c.seq()).append(" | ").append(c.at()).append(" | ").append(cell(c.toolId()))
                    .append(" | ").append(c.transition()).append(" (").append(c.fromCode()).append(" → ")
                    .append(c.toCode()).append(") | ").append(rules(c.baselineRules())).append(" | ")
                    .append(rules(c.candidateRules())).append(" |\n");
            }
            sb.append('\n');
        }
        sb.append("## Budget impact\n\n| category | cap | charged | blocked calls | blocked units |\n|---|---|---|---|---|\n");
        for (SimulationReport.BudgetImpact b : r.budgets()) {
            sb.append("| ").append(cell(b.category())).append(" | ").append(cap(b.baselineCap())).append(" → ")
                .append(cap(b.candidateCap())).append(" | ").append(b.baselineCharged()).append(" → ")
                .append(b.candidateCharged()).append(" | ").append(b.baselineBlocked()).append(" → ")
                .append(b.candidateBlocked()).append(" | ").append(b.baselineBlockedUnits()).append(" → ")
                .append(b.candidateBlockedUnits()).append(" |\n");
        }
        if (r.recordedMismatches() > 0) {
            sb.append("\n> ").append(r.recordedMismatches()).append(" recorded decision(s) differ from the baseline "
                + "replay: the active pack changed since they were made, or usage before the replayed range was not seen.\n");
        }
        return sb.toString();
    }

    private static void table(StringBuilder sb, String what, Map<String, Map<String, Integer>> m) {
        sb.append("### By ").append(what).append("\n\n| ").append(what).append(" | changes |\n|---|---|\n");
        m.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
            sb.append("| ").append(cell(e.getKey())).append(" | ").append(cell(e.getValue().toString())).append(" |\n"));
        sb.append('\n');
    }

    private static String rules(List<String> names) {
        return names.isEmpty() ? "—" : cell(String.join(", ", names));
    }

    private static String cell(String s) {
        return s == null ? "" : s.replace("|", "\\|");
    }

    private static String cap(Long c) {
        return c == null ? "none" : c.toString();
    }

    private static String shortHash(String h) {
        return h.length() > 12 ? h.substring(0, 12) : h;
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s + "  " : s + " ".repeat(w - s.length());
    }
}
