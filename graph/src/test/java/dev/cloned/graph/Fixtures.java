package dev.cloned.graph;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Small catalogs built in code for algorithm tests. */
public final class Fixtures {
    private Fixtures() {
    }

    public static Capability capability(String id, String... prerequisites) {
        return new Capability(id, "test capability " + id, RiskLevel.LOW, CostModel.of("api_requests", 1),
                List.of(), Arrays.asList(prerequisites));
    }

    public static Connector connector(String id, String publisher, List<String> provides, List<String> requires) {
        return new Connector(id, "1.0.0", publisher, List.of(), provides, requires, List.of("set up " + id));
    }

    public static Blueprint blueprint(String id, List<String> goals, List<String> required, List<String> preferred) {
        return new Blueprint(id, "1.0.0", "", goals, required, preferred, "policy.personal.default",
                "pipeline.test", List.of(), Map.of("api_requests", 10.0));
    }

    public static CapabilityGraph graph(List<Capability> capabilities, List<Connector> connectors) {
        return CapabilityGraph.of(new Catalog(capabilities, connectors, List.of()));
    }

    /** The repository's blueprints folder (tests run with -Dcloned.root set by the build). */
    public static java.nio.file.Path repoBlueprints() {
        return java.nio.file.Path.of(System.getProperty("cloned.root", "..")).resolve("blueprints");
    }
}
