package dev.cloned.rules.blueprint;

import dev.cloned.graph.Inventory;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the user asked for: the goal text, constraints as key/value pairs (a bare key such as
 * {@code no_publishing} means {@code true}) and what the workspace already has installed and trusts.
 */
public record SelectionRequest(String goal, Map<String, String> constraints, Inventory inventory) {
    public SelectionRequest {
        Objects.requireNonNull(goal, "goal");
        constraints = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(constraints, "constraints")));
        Objects.requireNonNull(inventory, "inventory");
    }

    /** Builds a request from CLI-style constraints: {@code key=value} or a bare {@code key}. */
    public static SelectionRequest of(String goal, List<String> constraints, Inventory inventory) {
        Map<String, String> parsed = new TreeMap<>();
        for (String constraint : constraints) {
            String trimmed = constraint.trim();
            int eq = trimmed.indexOf('=');
            String key = eq < 0 ? trimmed : trimmed.substring(0, eq).trim();
            if (key.isEmpty()) {
                throw new IllegalArgumentException("a constraint needs a key, got: '" + constraint + "'");
            }
            parsed.put(key, eq < 0 ? "true" : trimmed.substring(eq + 1).trim());
        }
        return new SelectionRequest(goal, parsed, inventory);
    }
}
