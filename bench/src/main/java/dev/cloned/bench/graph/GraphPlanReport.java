package dev.cloned.bench.graph;

import dev.cloned.graph.BlueprintPlan;
import dev.cloned.graph.CapabilityGraph;
import dev.cloned.graph.Explanation;
import dev.cloned.graph.Inventory;
import dev.cloned.graph.Planner;

import java.util.Set;

/** Prints the size of the benchmark's graph and plan, so the figure in the docs comes with its workload. */
public final class GraphPlanReport {
    private GraphPlanReport() {
    }

    /** Entry point: {@code java -cp ... dev.cloned.bench.graph.GraphPlanReport}. */
    public static void main(String[] args) {
        GraphPlanBench bench = new GraphPlanBench();
        bench.setUp();
        CapabilityGraph graph = bench.buildGraph();
        Explanation explanation = bench.planOneGoal();
        BlueprintPlan plan = explanation.plans().get(0);
        System.out.printf("vertices=%d edges=%d%n", graph.graph().vertexSet().size(), graph.graph().edgeSet().size());
        System.out.printf("blueprint=%s closure=%d connectors=%d toInstall=%d missing=%d unavailable=%d%n",
                plan.blueprint().id(), plan.capabilities().size(), plan.connectors().size(),
                plan.connectorsToInstall().size(), plan.missing().size(), plan.unavailable().size());
        System.out.println("empty-inventory connectors=" + Planner.over(graph)
                .plan(plan.blueprint().id(), new Inventory(Set.of(), Set.of())).connectors().size());
    }
}
