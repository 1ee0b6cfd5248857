package dev.cloned.graph.load;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.graph.Blueprint;
import dev.cloned.graph.Capability;
import dev.cloned.graph.Catalog;
import dev.cloned.graph.Connector;
import dev.cloned.graph.NodeKind;
import dev.cloned.graph.Tool;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Checks what a schema cannot: every referenced capability, connector and tool exists, and the prerequisites
 * form no cycle. A cycle is reported as the path that closes it, e.g. {@code a -> b -> a}.
 */
public final class CatalogValidator {
    private final Catalog catalog;
    private final Locator locator;

    /** A validator for one catalog; {@code locator} turns entity fields into file positions. */
    public CatalogValidator(Catalog catalog, Locator locator) {
        this.catalog = catalog;
        this.locator = locator;
    }

    /** Throws {@code graph_invalid} on the first dangling reference or prerequisite cycle. */
    public void validate() {
        Set<String> capabilities = new HashSet<>();
        catalog.capabilities().forEach(c -> capabilities.add(c.id()));
        Set<String> connectors = new HashSet<>();
        Set<String> tools = new HashSet<>();
        for (Connector connector : catalog.connectors()) {
            connectors.add(connector.id());
            connector.tools().forEach(t -> tools.add(t.id()));
        }
        for (Capability capability : catalog.capabilities()) {
            check(NodeKind.CAPABILITY, capability.id(), "/prerequisites", capability.prerequisites(),
                    capabilities::contains, "capability");
        }
        for (Connector connector : catalog.connectors()) {
            checkConnector(connector, capabilities::contains);
        }
        for (Blueprint blueprint : catalog.blueprints()) {
            check(NodeKind.BLUEPRINT, blueprint.id(), "/required_capabilities", blueprint.requiredCapabilities(),
                    capabilities::contains, "capability");
            check(NodeKind.BLUEPRINT, blueprint.id(), "/preferred_connectors", blueprint.preferredConnectors(),
                    connectors::contains, "connector");
            check(NodeKind.BLUEPRINT, blueprint.id(), "/expected_tool_calls", blueprint.expectedToolCalls(),
                    tools::contains, "tool");
        }
        rejectCycles();
    }

    private void checkConnector(Connector connector, Predicate<String> known) {
        check(NodeKind.CONNECTOR, connector.id(), "/provides_capabilities", connector.providesCapabilities(),
                known, "capability");
        check(NodeKind.CONNECTOR, connector.id(), "/requires_capabilities", connector.requiresCapabilities(),
                known, "capability");
        for (int t = 0; t < connector.tools().size(); t++) {
            Tool tool = connector.tools().get(t);
            check(NodeKind.CONNECTOR, connector.id(), "/tools/" + t + "/capabilities", tool.capabilities(),
                    known, "capability");
        }
    }

    private void check(NodeKind kind, String id, String field, List<String> refs, Predicate<String> known,
                       String what) {
        for (int i = 0; i < refs.size(); i++) {
            if (!known.test(refs.get(i))) {
                throw new ClonedException(ErrorCode.GRAPH_INVALID, locator.locate(kind, id, field + "/" + i)
                        + ": unknown " + what + " '" + refs.get(i) + "'",
                        "declare the " + what + " in the catalog or remove the reference");
            }
        }
    }

    /** Iterative depth-first search (the synthetic graphs are deep), visiting ids in sorted order. */
    private void rejectCycles() {
        Map<String, List<String>> prerequisites = new HashMap<>();
        catalog.capabilities().forEach(c -> prerequisites.put(c.id(), c.prerequisites()));
        Set<String> done = new HashSet<>();
        for (Capability start : catalog.capabilities()) {
            if (!done.contains(start.id())) {
                walk(start.id(), prerequisites, done);
            }
        }
    }

    private void walk(String start, Map<String, List<String>> prerequisites, Set<String> done) {
        Deque<String> path = new ArrayDeque<>();
        Deque<Integer> next = new ArrayDeque<>();
        Set<String> onPath = new HashSet<>();
        path.push(start);
        next.push(0);
        onPath.add(start);
        while (!path.isEmpty()) {
            String current = path.peek();
            int index = next.pop();
            List<String> children = prerequisites.get(current);
            if (index >= children.size()) {
                path.pop();
                onPath.remove(current);
                done.add(current);
                continue;
            }
            next.push(index + 1);
            String child = children.get(index);
            if (onPath.contains(child)) {
                throw cycle(path, child);
            }
            if (!done.contains(child)) {
                path.push(child);
                next.push(0);
                onPath.add(child);
            }
        }
    }

    private ClonedException cycle(Deque<String> path, String repeated) {
        List<String> cycle = new ArrayList<>();
        var descending = path.descendingIterator();
        boolean inCycle = false;
        while (descending.hasNext()) {
            String id = descending.next();
            inCycle = inCycle || id.equals(repeated);
            if (inCycle) {
                cycle.add(id);
            }
        }
        cycle.add(repeated);
        String where = locator.locate(NodeKind.CAPABILITY, cycle.get(0), "/prerequisites");
        return new ClonedException(ErrorCode.GRAPH_INVALID, where + ": prerequisite cycle "
                + String.join(" -> ", cycle), "remove one of the prerequisites on the cycle");
    }
}
