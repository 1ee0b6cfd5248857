package dev.cloned.graph.algo;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.graph.Blueprint;
import dev.cloned.graph.BlueprintMatch;
import dev.cloned.graph.BlueprintPlan;
import dev.cloned.graph.CapabilityClosure;
import dev.cloned.graph.CapabilityGraph;
import dev.cloned.graph.ConnectorChoice;
import dev.cloned.graph.ConnectorCover;
import dev.cloned.graph.Cover;
import dev.cloned.graph.Explanation;
import dev.cloned.graph.GapAnalysis;
import dev.cloned.graph.GoalText;
import dev.cloned.graph.Inventory;
import dev.cloned.graph.Planner;
import dev.cloned.graph.SetupOrdering;
import dev.cloned.graph.SetupSequence;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans a blueprint: closure over prerequisites, cover (which also covers what the chosen connectors require),
 * setup order, and missing capabilities with recommendations.
 */
public final class GraphPlanner implements Planner {
    private final CapabilityGraph graph;
    private final CapabilityClosure closure;
    private final ConnectorCover cover;
    private final SetupOrdering ordering;
    private final GapAnalysis gaps;

    /** A planner with the default algorithms. */
    public GraphPlanner(CapabilityGraph graph) {
        this(graph, new PrerequisiteClosure(graph), new GreedyConnectorCover(graph, new PrerequisiteClosure(graph)),
                new TopologicalSetupOrder(graph), new InstallRecommendations(graph));
    }

    /** A planner with explicit algorithms (for tests and experiments). */
    public GraphPlanner(CapabilityGraph graph, CapabilityClosure closure, ConnectorCover cover,
                        SetupOrdering ordering, GapAnalysis gaps) {
        this.graph = graph;
        this.closure = closure;
        this.cover = cover;
        this.ordering = ordering;
        this.gaps = gaps;
    }

    @Override
    public List<BlueprintMatch> match(String goal) {
        GoalText text = new GoalText(goal);
        List<BlueprintMatch> matches = new ArrayList<>();
        for (Blueprint blueprint : graph.catalog().blueprints()) {
            List<String> mentioned = text.mentioned(blueprint.goals());
            if (!mentioned.isEmpty()) {
                matches.add(new BlueprintMatch(blueprint.id(), mentioned));
            }
        }
        matches.sort(Comparator.comparingInt((BlueprintMatch m) -> -m.matchedGoals().size())
                .thenComparing(BlueprintMatch::blueprintId));
        return matches;
    }

    @Override
    public BlueprintPlan plan(String blueprintId, Inventory inventory) {
        Blueprint blueprint = graph.blueprint(blueprintId).orElseThrow(() -> new ClonedException(
                ErrorCode.NOT_FOUND, "unknown blueprint '" + blueprintId + "'",
                "known blueprints: " + graph.catalog().blueprints().stream().map(Blueprint::id).toList()));
        Cover chosen = cover.cover(closure.close(blueprint.requiredCapabilities()), inventory,
                blueprint.preferredConnectors());
        List<String> capabilities = chosen.capabilities();
        SetupSequence sequence = ordering.order(chosen.connectorIds());
        return new PlanFacts(graph).plan(blueprint, capabilities, inSetupOrder(chosen, sequence),
                gaps.missing(capabilities, chosen, inventory), sequence.notes());
    }

    @Override
    public Explanation explain(String goal, Inventory inventory) {
        List<BlueprintMatch> matches = match(goal);
        return new Explanation(goal, matches, matches.stream().map(m -> plan(m.blueprintId(), inventory)).toList());
    }

    private static List<ConnectorChoice> inSetupOrder(Cover chosen, SetupSequence sequence) {
        Map<String, ConnectorChoice> byId = new HashMap<>();
        chosen.connectors().forEach(c -> byId.put(c.connectorId(), c));
        return sequence.connectorIds().stream().map(byId::get).toList();
    }
}
