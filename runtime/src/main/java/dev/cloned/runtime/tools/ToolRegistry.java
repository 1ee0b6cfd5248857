package dev.cloned.runtime.tools;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The tools the gateway knows: built-ins and those of enabled connectors. Thread-safe. Listeners are told once per
 * change (a connector's whole tool set counts as one change), on the thread that made it.
 */
public final class ToolRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ToolRegistry.class);
    private final Map<String, RegisteredTool> tools = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    /** Adds or replaces a tool. */
    public void register(RegisteredTool tool) {
        tools.put(tool.descriptor().id(), tool);
        changed();
    }

    /**
     * Makes {@code replacement} the tools of {@code connectorId}: new and changed ones are put first, then the
     * connector's other tools leave, so a tool that stays is never missing in between.
     */
    public void replaceConnector(String connectorId, List<RegisteredTool> replacement) {
        Set<String> ids = new HashSet<>();
        for (RegisteredTool t : replacement) {
            if (!connectorId.equals(t.descriptor().connectorId())) {
                throw new IllegalArgumentException(t.descriptor().id() + " does not belong to " + connectorId);
            }
            ids.add(t.descriptor().id());
            tools.put(t.descriptor().id(), t);
        }
        tools.values().removeIf(t -> connectorId.equals(t.descriptor().connectorId()) && !ids.contains(t.descriptor().id()));
        changed();
    }

    /** Removes every tool of a connector (when it is disabled). */
    public void unregisterConnector(String connectorId) {
        if (tools.values().removeIf(t -> connectorId.equals(t.descriptor().connectorId()))) {
            changed();
        }
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

    /** Told after each change of the tool set; keep it short and never throw. */
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    /** Stops telling {@code listener}. */
    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    private void changed() {
        for (Runnable l : listeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                LOG.warn("tool registry listener failed: {}", e.toString());
            }
        }
    }
}
