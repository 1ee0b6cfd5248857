package dev.cloned.bench.graph;

import dev.cloned.graph.Blueprint;
import dev.cloned.graph.Capability;
import dev.cloned.graph.Catalog;
import dev.cloned.graph.Connector;
import dev.cloned.graph.CostModel;
import dev.cloned.graph.RiskLevel;
import dev.cloned.graph.Tool;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A seeded, reproducible catalog for benchmarks: capabilities with 0-2 prerequisites drawn from lower ids (so no
 * cycles), connectors providing 25 random capabilities each (about 8% of capabilities end up with no provider),
 * and blueprints needing 20 random capabilities each, with the goal phrase {@code topicN}.
 */
final class SyntheticCatalog {
    static final int PROVIDES_PER_CONNECTOR = 25;
    static final int REQUIRED_PER_BLUEPRINT = 20;
    static final int PUBLISHERS = 20;

    private SyntheticCatalog() {
    }

    static Catalog build(int capabilities, int connectors, int blueprints, long seed) {
        Random random = new Random(seed);
        return new Catalog(capabilities(capabilities, random), connectors(connectors, capabilities, random),
                blueprints(blueprints, capabilities, random));
    }

    static String capabilityId(int i) {
        return String.format("cap.c%05d", i);
    }

    static String connectorId(int i) {
        return String.format("connector.c%04d", i);
    }

    static String publisherId(int i) {
        return "publisher.p" + (i % PUBLISHERS);
    }

    private static List<Capability> capabilities(int count, Random random) {
        List<Capability> result = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Set<String> prerequisites = new LinkedHashSet<>();
            int wanted = i == 0 ? 0 : random.nextInt(3);
            for (int p = 0; p < wanted; p++) {
                prerequisites.add(capabilityId(random.nextInt(i)));
            }
            RiskLevel risk = RiskLevel.values()[random.nextInt(3)];
            CostModel cost = random.nextInt(50) == 0 ? CostModel.unknown("api_requests")
                    : CostModel.of("api_requests", random.nextInt(5));
            result.add(new Capability(capabilityId(i), "synthetic capability " + i, risk, cost, List.of(),
                    List.copyOf(prerequisites)));
        }
        return result;
    }

    private static List<Connector> connectors(int count, int capabilities, Random random) {
        List<Connector> result = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            List<String> provides = distinct(random, capabilities, PROVIDES_PER_CONNECTOR);
            List<String> requires = distinct(random, capabilities, random.nextInt(3));
            Tool tool = new Tool("bench.tool.t" + i + "@v1", "bench.tool.t" + i + ".v1", List.of(),
                    CostModel.of("api_requests", 1), RiskLevel.LOW, List.of("api" + i + ".example.com"),
                    provides.subList(0, 5));
            result.add(new Connector(connectorId(i), "1.0.0", publisherId(i), List.of(tool), provides, requires,
                    List.of("configure " + connectorId(i))));
        }
        return result;
    }

    private static List<Blueprint> blueprints(int count, int capabilities, Random random) {
        List<Blueprint> result = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            result.add(new Blueprint("blueprint.b" + i, "1.0.0", "synthetic", List.of("topic" + i),
                    distinct(random, capabilities, REQUIRED_PER_BLUEPRINT), List.of(connectorId(i)),
                    "policy.personal.default", "pipeline.bench", List.of(), Map.of("api_requests", 100.0)));
        }
        return result;
    }

    private static List<String> distinct(Random random, int bound, int count) {
        Set<String> ids = new LinkedHashSet<>();
        while (ids.size() < count) {
            ids.add(capabilityId(random.nextInt(bound)));
        }
        return List.copyOf(ids);
    }
}
