package dev.cloned.graph;

import dev.cloned.graph.load.CatalogReader;
import dev.cloned.graph.load.CatalogSource;
import dev.cloned.graph.load.CatalogValidator;
import dev.cloned.graph.load.GraphAssembler;
import dev.cloned.graph.load.LoadedCatalog;
import dev.cloned.graph.load.Locator;
import org.jgrapht.Graph;
import org.jgrapht.graph.AsUnmodifiableGraph;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The immutable capability graph: the catalog plus a JGraphT graph with edges blueprint -> capability,
 * capability -> prerequisite, connector -> capability (provides, requires), connector -> tool and
 * tool -> capability. Loading validates schemas, references and prerequisite cycles.
 */
public final class CapabilityGraph {
    private final Catalog catalog;
    private final Graph<GraphNode, Link> graph;
    private final Map<String, Capability> capabilities = new HashMap<>();
    private final Map<String, Connector> connectors = new HashMap<>();
    private final Map<String, Blueprint> blueprints = new HashMap<>();
    private final Map<String, Tool> tools = new HashMap<>();
    private final Map<String, List<String>> providers = new HashMap<>();

    private CapabilityGraph(Catalog catalog, Graph<GraphNode, Link> graph) {
        this.catalog = catalog;
        this.graph = new AsUnmodifiableGraph<>(graph);
        catalog.capabilities().forEach(c -> capabilities.put(c.id(), c));
        catalog.blueprints().forEach(b -> blueprints.put(b.id(), b));
        for (Connector connector : catalog.connectors()) {
            connectors.put(connector.id(), connector);
            connector.tools().forEach(t -> tools.put(t.id(), t));
            for (String capability : connector.providesCapabilities()) {
                providers.computeIfAbsent(capability, k -> new ArrayList<>()).add(connector.id());
            }
        }
        providers.replaceAll((capability, ids) -> List.copyOf(ids));
    }

    /** Builds the graph from a catalog made in code; errors name the entity and field. */
    public static CapabilityGraph of(Catalog catalog) {
        return create(new LoadedCatalog(catalog, Locator.byEntity()));
    }

    /** Loads a directory laid out like {@code blueprints/}; errors name the file and the field. */
    public static CapabilityGraph load(Path directory) {
        return create(new CatalogReader().read(CatalogSource.directory(directory)));
    }

    /** Loads the blueprints, taxonomy and connector catalog shipped with Cloned (classpath {@code blueprints/}). */
    public static CapabilityGraph loadBuiltin() {
        return create(new CatalogReader().read(CatalogSource.builtin()));
    }

    private static CapabilityGraph create(LoadedCatalog loaded) {
        new CatalogValidator(loaded.catalog(), loaded.locator()).validate();
        return new CapabilityGraph(loaded.catalog(), GraphAssembler.assemble(loaded.catalog()));
    }

    /** The catalog the graph was built from (lists sorted by id). */
    public Catalog catalog() {
        return catalog;
    }

    /** A read-only view of the JGraphT graph. */
    public Graph<GraphNode, Link> graph() {
        return graph;
    }

    /** The capability with this id, if any. */
    public Optional<Capability> capability(String id) {
        return Optional.ofNullable(capabilities.get(id));
    }

    /** The connector with this id, if any. */
    public Optional<Connector> connector(String id) {
        return Optional.ofNullable(connectors.get(id));
    }

    /** The blueprint with this id, if any. */
    public Optional<Blueprint> blueprint(String id) {
        return Optional.ofNullable(blueprints.get(id));
    }

    /** The tool with this id ({@code name@version}), if any. */
    public Optional<Tool> tool(String id) {
        return Optional.ofNullable(tools.get(id));
    }

    /** The ids of the catalog connectors that provide a capability, sorted; empty when none does. */
    public List<String> providersOf(String capabilityId) {
        return providers.getOrDefault(capabilityId, Collections.emptyList());
    }
}
