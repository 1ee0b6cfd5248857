package dev.cloned.graph;

import java.util.List;
import java.util.Objects;

/**
 * A known connector package: who publishes it, the tools it exposes, the capabilities it provides and requires,
 * and the manual steps a person must take to set it up.
 */
public record Connector(String id, String version, String publisherId, List<Tool> tools,
                        List<String> providesCapabilities, List<String> requiresCapabilities,
                        List<String> manualSteps) {
    public Connector {
        Ids.dotted(id, "connector id");
        Ids.text(version, "version");
        Ids.dotted(publisherId, "publisher_id");
        tools = List.copyOf(Objects.requireNonNull(tools, "tools"));
        providesCapabilities = Ids.dottedIds(providesCapabilities, "provides_capabilities");
        requiresCapabilities = Ids.dottedIds(requiresCapabilities, "requires_capabilities");
        manualSteps = List.copyOf(Objects.requireNonNull(manualSteps, "manual_steps"));
        if (providesCapabilities.isEmpty()) {
            throw new IllegalArgumentException("connector " + id + " must provide at least one capability");
        }
        for (Tool tool : tools) {
            for (String capability : tool.capabilities()) {
                if (!providesCapabilities.contains(capability)) {
                    throw new IllegalArgumentException("tool " + tool.id() + " implements " + capability
                            + " but connector " + id + " does not list it in provides_capabilities");
                }
            }
        }
    }
}
