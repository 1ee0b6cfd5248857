package dev.cloned.gateway.onboard;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.graph.ConnectorChoice;
import dev.cloned.graph.MissingCapability;
import dev.cloned.rules.blueprint.BlueprintSelection;
import dev.cloned.rules.blueprint.ExcludedBlueprint;
import dev.cloned.rules.blueprint.RankedBlueprint;
import dev.cloned.rules.blueprint.ScoreReason;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The onboarding conversation over plain lines of text (a terminal, a pipe, or a test): asks only for what the options
 * leave open, proposes the best blueprint with why and the alternatives, shows what is missing and the pre-flight,
 * asks to confirm, then applies. {@code yes} answers every confirmation; {@code dryRun} stops after printing the plan
 * (and, with a given goal, takes the best fit without asking).
 */
public final class Conversation {
    private final Onboarding onboarding;
    private final BufferedReader in;
    private final PrintWriter out;

    /**
     * What the caller already decided.
     *
     * @param goal the goal, or {@code null} to ask
     * @param constraints constraints as {@code key=value} or {@code key}; {@code null} to ask
     * @param blueprint a blueprint id to use instead of the best ranked one, or {@code null}
     * @param yes answer every confirmation with yes (scripts)
     * @param dryRun print the plan and pre-flight only; change nothing
     * @param actor who onboards, as recorded in the audit
     */
    public record Options(String goal, List<String> constraints, String blueprint, boolean yes, boolean dryRun,
                          String actor) {
        public Options {
            constraints = constraints == null ? null : List.copyOf(constraints);
            Objects.requireNonNull(actor, "actor");
        }
    }

    /**
     * How the conversation ended.
     *
     * @param plan the plan, or {@code null} when the user declined before one was made
     * @param report what apply did, or {@code null} on a dry run or when the user declined
     */
    public record Outcome(PlanOfRecord plan, SetupReport report) {
        /** True when a plan was written and set up. */
        public boolean applied() {
            return report != null;
        }
    }

    public Conversation(Onboarding onboarding, BufferedReader in, PrintWriter out) {
        this.onboarding = onboarding;
        this.in = in;
        this.out = out;
    }

    /** Runs the conversation to the end. */
    public Outcome run(Options o) {
        if (o.goal() == null) {
            out.println("Cloned onboarding: tell me what your agents should do, and I will plan the setup.");
        }
        String goal = o.goal() != null ? o.goal() : askGoal();
        List<String> constraints = o.constraints() != null ? o.constraints() : askConstraints();
        BlueprintSelection selection = onboarding.select(goal, constraints);
        propose(selection);
        if (selection.ranked().isEmpty()) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, "no blueprint fits this goal under these constraints",
                "rephrase the goal or relax a constraint; `cloned graph explain GOAL` shows what each blueprint needs");
        }
        String chosen = choose(selection, o);
        if (chosen == null) {
            out.println("Nothing chosen; nothing changed.");
            return new Outcome(null, null);
        }
        PlanOfRecord plan = onboarding.prepare(goal, constraints, selection, chosen, o.actor());
        summarise(plan);
        if (o.dryRun()) {
            out.println();
            out.print(onboarding.render(plan));
            out.println();
            out.println("dry run: the plan was not written and no setup step ran.");
            return new Outcome(plan, null);
        }
        int runnable = plan.runnableSteps().size();
        if (!o.yes() && !confirm("Write " + plan.relativePath() + " and run the " + runnable
            + " setup step(s) the policy allows? [y/N] ", false)) {
            out.println("Nothing written; nothing changed.");
            return new Outcome(plan, null);
        }
        SetupReport report = onboarding.apply(plan, o.actor());
        report(plan, report);
        return new Outcome(plan, report);
    }

    private String askGoal() {
        while (true) {
            String line = ask("What should your agents do? > ");
            if (line == null) {
                throw new ClonedException(ErrorCode.INVALID_INPUT, "no goal given",
                    "type a goal, or pass --goal TEXT (with --yes for scripts)");
            }
            if (!line.isBlank()) {
                return line.strip();
            }
            out.println("Please describe the goal in a few words, e.g. \"write a research report on heat pumps\".");
        }
    }

    private List<String> askConstraints() {
        out.println("Constraints, comma-separated (no_publishing, offline, max_monthly_budget=N,"
            + " max_monthly_budget.CATEGORY=N, tier=personal|shared|enterprise).");
        String line = ask("Constraints (Enter for none) > ");
        if (line == null || line.isBlank()) {
            return List.of();
        }
        return splitConstraints(line);
    }

    private void propose(BlueprintSelection s) {
        out.println();
        s.warnings().forEach(w -> out.println("warning: " + w));
        s.best().ifPresent(best -> {
            out.println("Best fit: " + best.blueprintId() + " (score " + best.score() + ") - "
                + best.plan().blueprint().description());
            best.reasons().forEach(r -> out.println("  " + reason(r)));
        });
        for (RankedBlueprint r : s.ranked().subList(Math.min(1, s.ranked().size()), s.ranked().size())) {
            out.println("Alternative: " + r.blueprintId() + " (score " + r.score() + ")");
            r.reasons().forEach(x -> out.println("  " + reason(x)));
        }
        for (ExcludedBlueprint e : s.excluded()) {
            out.println("Excluded: " + e.blueprintId());
            e.reasons().forEach(x -> out.println("  " + x.rule() + ": " + x.message()));
        }
    }

    private String choose(BlueprintSelection s, Options o) {
        List<String> ids = s.ranked().stream().map(RankedBlueprint::blueprintId).toList();
        if (o.blueprint() != null) {
            if (!ids.contains(o.blueprint())) {
                throw new ClonedException(ErrorCode.INVALID_INPUT, "blueprint '" + o.blueprint()
                    + "' is not among the ranked choices " + ids, "omit --blueprint to take the best fit");
            }
            return o.blueprint();
        }
        String best = ids.get(0);
        if (o.yes() || (o.dryRun() && o.goal() != null)) {
            return best;
        }
        while (true) {
            String line = ask("Use " + best + "? [Y/n, or type another ranked blueprint id] > ");
            if (line == null || line.isBlank() || yes(line)) {
                return line == null ? null : best;
            }
            if (line.strip().equalsIgnoreCase("n") || line.strip().equalsIgnoreCase("no")) {
                return null;
            }
            if (ids.contains(line.strip())) {
                return line.strip();
            }
            out.println("'" + line.strip() + "' is not one of " + ids);
        }
    }

    private void summarise(PlanOfRecord p) {
        out.println();
        out.println("Plan for " + p.chosen().blueprintId() + " (policy " + p.packId() + ")");
        out.println("  capabilities: " + String.join(", ", p.plan().capabilities()));
        List<ConnectorChoice> todo = p.plan().connectorsToInstall();
        out.println("  connectors to install, in order: " + (todo.isEmpty() ? "none"
            : String.join(", ", todo.stream().map(ConnectorChoice::connectorId).toList())));
        for (MissingCapability m : p.plan().missing()) {
            out.println("  missing " + m.capabilityId() + ": " + m.recommendation());
        }
        out.println("Pre-flight (decided by the policy engine, nothing dispatched):");
        for (SetupStep s : p.setup()) {
            out.println(String.format(Locale.ROOT, "  setup     %-16s %s", effect(s), s.title()
                + (s.decision() == null ? "" : "  [" + PlanMarkdown.decidedBy(s.decision()) + "]")));
        }
        for (CheckedCall c : p.pipeline()) {
            out.println(String.format(Locale.ROOT, "  pipeline  %-16s %s  [%s]", c.decision().effect().wire(),
                c.toolId() + (c.host() == null ? "" : " -> " + c.host()), PlanMarkdown.decidedBy(c.decision())));
        }
    }

    private void report(PlanOfRecord p, SetupReport r) {
        out.println();
        out.println("Plan of Record written: " + p.relativePath());
        for (SetupReport.StepOutcome s : r.steps()) {
            out.println("  " + s.outcome() + "  " + s.stepId() + (s.detail().isEmpty() ? "" : "  (" + s.detail() + ")"));
        }
        out.println("Each step is recorded in the audit as onboard.step (`cloned audit tail`).");
    }

    private static String effect(SetupStep s) {
        return s.decision() == null ? "local" : s.decision().effect().wire();
    }

    private static String reason(ScoreReason r) {
        return (r.delta() > 0 ? "+" : "") + r.delta() + "  " + r.rule() + ": " + r.message();
    }

    private boolean confirm(String prompt, boolean dflt) {
        String line = ask(prompt);
        if (line == null || line.isBlank()) {
            return dflt;
        }
        return yes(line);
    }

    private static boolean yes(String line) {
        String l = line.strip().toLowerCase(Locale.ROOT);
        return l.equals("y") || l.equals("yes");
    }

    private String ask(String prompt) {
        out.print(prompt);
        out.flush();
        try {
            String line = in.readLine();
            if (line != null) {
                out.println();
            }
            return line;
        } catch (IOException e) {
            throw new ClonedException(ErrorCode.INTERNAL, "cannot read the answer: " + e.getMessage());
        }
    }

    private static List<String> splitConstraints(String text) {
        List<String> out = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }
}
