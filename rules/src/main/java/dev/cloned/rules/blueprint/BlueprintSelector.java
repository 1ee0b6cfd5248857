package dev.cloned.rules.blueprint;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.graph.Blueprint;
import dev.cloned.graph.BlueprintPlan;
import dev.cloned.graph.CapabilityGraph;
import dev.cloned.graph.Planner;
import org.kie.api.KieBase;
import org.kie.api.runtime.StatelessKieSession;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses blueprints for a goal with the Drools rules of {@code selection.drl}: the graph plans every blueprint,
 * the plans, the goal and the constraints become facts, and the rules score and exclude. Ties are broken by
 * score descending, then id. Instances are immutable and thread-safe.
 */
public final class BlueprintSelector {
    /** Classpath location of the shipped rules. */
    public static final String BUILTIN_DRL = "blueprints/selection.drl";

    private final CapabilityGraph graph;
    private final Planner planner;
    private final KieBase rules;

    private BlueprintSelector(CapabilityGraph graph, String drl, String source) {
        this.graph = graph;
        this.planner = Planner.over(graph);
        this.rules = SelectionRuleBase.compile(drl, source);
    }

    /** A selector with the shipped rules (classpath {@code blueprints/selection.drl}). */
    public static BlueprintSelector builtin(CapabilityGraph graph) {
        try (InputStream in = BlueprintSelector.class.getClassLoader().getResourceAsStream(BUILTIN_DRL)) {
            if (in == null) {
                throw new ClonedException(ErrorCode.INTERNAL, BUILTIN_DRL + " is not on the classpath");
            }
            return new BlueprintSelector(graph, new String(in.readAllBytes(), StandardCharsets.UTF_8), BUILTIN_DRL);
        } catch (IOException e) {
            throw new ClonedException(ErrorCode.INTERNAL, "cannot read " + BUILTIN_DRL, null, e);
        }
    }

    /** A selector with rules from a DRL file the user edited; compile errors are {@code invalid_policy}. */
    public static BlueprintSelector fromFile(CapabilityGraph graph, Path drl) {
        try {
            return new BlueprintSelector(graph, Files.readString(drl, StandardCharsets.UTF_8), drl.toString());
        } catch (IOException e) {
            throw new ClonedException(ErrorCode.NOT_FOUND, "cannot read selection rules " + drl,
                    "check the path, or omit it to use the shipped rules", e);
        }
    }

    /** Names of the rules in the rule base, sorted (used to check that every rule has a test case). */
    public List<String> ruleNames() {
        return SelectionRuleBase.ruleNames(rules);
    }

    /** Plans every blueprint, runs the rules and returns the ranking, exclusions and reasons. */
    public BlueprintSelection select(SelectionRequest request) {
        List<BlueprintPlan> plans = new ArrayList<>();
        List<Object> facts = new ArrayList<>();
        facts.add(new GoalFact(request.goal()));
        request.constraints().forEach((key, value) -> facts.add(new ConstraintFact(key, value)));
        for (Blueprint blueprint : graph.catalog().blueprints()) {
            BlueprintPlan plan = planner.plan(blueprint.id(), request.inventory());
            plans.add(plan);
            facts.add(new BlueprintFact(plan));
        }
        SelectionLedger ledger = run(facts);
        return summarise(plans, ledger);
    }

    private SelectionLedger run(List<Object> facts) {
        SelectionLedger ledger = new SelectionLedger();
        StatelessKieSession session = rules.newStatelessKieSession();
        session.setGlobal("ledger", ledger);
        session.addEventListener(new LedgerListener(ledger));
        try {
            session.execute(facts);
        } catch (RuntimeException e) {
            throw new ClonedException(ErrorCode.POLICY_ERROR, "blueprint selection rules failed: " + e.getMessage(),
                    "run the selection tests against your selection.drl", e);
        }
        return ledger;
    }

    private static BlueprintSelection summarise(List<BlueprintPlan> plans, SelectionLedger ledger) {
        List<RankedBlueprint> ranked = new ArrayList<>();
        List<ExcludedBlueprint> excluded = new ArrayList<>();
        for (BlueprintPlan plan : plans) {
            String id = plan.blueprint().id();
            List<ScoreReason> exclusions = ledger.exclusionReasons(id);
            if (!exclusions.isEmpty()) {
                excluded.add(new ExcludedBlueprint(id, exclusions, plan));
                continue;
            }
            List<ScoreReason> reasons = ledger.scoreReasons(id);
            int score = reasons.stream().mapToInt(ScoreReason::delta).sum();
            ranked.add(new RankedBlueprint(id, score, reasons, plan));
        }
        ranked.sort(Comparator.comparingInt((RankedBlueprint r) -> -r.score()).thenComparing(RankedBlueprint::blueprintId));
        excluded.sort(Comparator.comparing(ExcludedBlueprint::blueprintId));
        return new BlueprintSelection(ranked, excluded, ledger.warnings(), ledger.firedRules());
    }
}
