package dev.cloned.runtime.connectors;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * An installed connector with what a supervisor needs to run it: the registry entry, the installed package
 * directory, the server command and the declared tools (with input schemas, egress hosts, cost and risk).
 */
public record InstalledConnector(RegistryEntry entry, Path directory, ServerSpec server, List<ToolSpec> tools,
                                 List<String> providesCapabilities, List<String> requiresCapabilities) {
    public InstalledConnector {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(server, "server");
        tools = List.copyOf(tools);
        providesCapabilities = List.copyOf(providesCapabilities);
        requiresCapabilities = List.copyOf(requiresCapabilities);
    }

    /** The connector id. */
    public String id() {
        return entry.id();
    }

    /** The installed version. */
    public String version() {
        return entry.version();
    }

    /** Whether the connector is enabled. */
    public boolean enabled() {
        return entry.enabled();
    }
}
