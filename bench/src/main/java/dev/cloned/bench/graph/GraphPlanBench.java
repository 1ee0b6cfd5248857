package dev.cloned.bench.graph;

import dev.cloned.graph.CapabilityGraph;
import dev.cloned.graph.Catalog;
import dev.cloned.graph.Explanation;
import dev.cloned.graph.Inventory;
import dev.cloned.graph.Planner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Planning one goal on a synthetic graph of 10,000 capabilities, 1,000 connectors and 100 blueprints: goal match,
 * prerequisite closure, tiered greedy cover (with connector requirements), setup order and missing capabilities.
 * Target: at most 100 ms per goal after warm-up. Run:
 * {@code java -cp "bench/target/classes:bench/target/lib/*" org.openjdk.jmh.Main GraphPlanBench -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GraphPlanBench {
    static final int CAPABILITIES = 10_000;
    static final int CONNECTORS = 1_000;
    static final int BLUEPRINTS = 100;

    private Catalog catalog;
    private Planner planner;
    private Inventory inventory;

    /** Builds the graph once; 50 connectors are installed, 5 of the 20 publishers verified. */
    @Setup(Level.Trial)
    public void setUp() {
        catalog = SyntheticCatalog.build(CAPABILITIES, CONNECTORS, BLUEPRINTS, 42L);
        planner = Planner.over(CapabilityGraph.of(catalog));
        Random random = new Random(7);
        Set<String> installed = new HashSet<>();
        while (installed.size() < 50) {
            installed.add(SyntheticCatalog.connectorId(random.nextInt(CONNECTORS)));
        }
        Set<String> verified = new HashSet<>();
        for (int p = 0; p < 5; p++) {
            verified.add(SyntheticCatalog.publisherId(p));
        }
        inventory = new Inventory(installed, verified);
    }

    /** Goal text to plan: closure + cover + order + missing for the one matching blueprint. */
    @Benchmark
    public Explanation planOneGoal() {
        return planner.explain("please help with topic42 this week", inventory);
    }

    /** For reference: validating and assembling the whole graph (done once per load, not per goal). */
    @Benchmark
    public CapabilityGraph buildGraph() {
        return CapabilityGraph.of(catalog);
    }
}
