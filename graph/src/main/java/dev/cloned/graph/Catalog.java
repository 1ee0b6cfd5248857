package dev.cloned.graph;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Everything the graph is built from: the capability taxonomy, the connector catalog and the blueprints.
 * Lists are sorted by id; duplicate ids are rejected here, dangling references when the graph is built.
 */
public record Catalog(List<Capability> capabilities, List<Connector> connectors, List<Blueprint> blueprints) {
    public Catalog {
        capabilities = sortedUnique(capabilities, Capability::id, "capability");
        connectors = sortedUnique(connectors, Connector::id, "connector");
        blueprints = sortedUnique(blueprints, Blueprint::id, "blueprint");
        Set<String> toolIds = new HashSet<>();
        for (Connector connector : connectors) {
            for (Tool tool : connector.tools()) {
                if (!toolIds.add(tool.id())) {
                    throw new IllegalArgumentException("tool " + tool.id() + " is exposed by more than one connector");
                }
            }
        }
    }

    private static <T> List<T> sortedUnique(List<T> items, Function<T, String> id, String kind) {
        Objects.requireNonNull(items, kind + "s");
        Set<String> seen = new HashSet<>();
        for (T item : items) {
            if (!seen.add(id.apply(Objects.requireNonNull(item, kind)))) {
                throw new IllegalArgumentException("duplicate " + kind + " id: " + id.apply(item));
            }
        }
        return items.stream().sorted(Comparator.comparing(id)).toList();
    }
}
