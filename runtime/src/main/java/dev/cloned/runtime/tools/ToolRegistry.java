package dev.cloned.runtime.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The tools the gateway knows: built-ins and those of enabled connectors. Thread-safe. */
public final class ToolRegistry {
    private final Map<String, RegisteredTool> tools = new ConcurrentHashMap<>();

    /** Adds or replaces a tool. */
    public void register(RegisteredTool tool) {
        tools.put(tool.descriptor().id(), tool);
    }

    /** Removes every tool of a connector (when it is disabled). */
    public void unregisterConnector(String connectorId) {
        tools.values().removeIf(t -> connectorId.equals(t.descriptor().connectorId()));
    }

    /** The tool with this full id. */
    public Optional<RegisteredTool> find(String toolId) {
        return Optional.ofNullable(tools.get(toolId));
    }

    /** Every tool, sorted by id. */
    public List<RegisteredTool> all() {
        List<RegisteredTool> out = new ArrayList<>(tools.values());
        out.sort((a, b) -> a.descriptor().id().compareTo(b.descriptor().id()));
        return out;
    }
}
