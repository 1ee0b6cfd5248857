package dev.cloned.gateway.onboard;

import dev.cloned.graph.Inventory;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.connectors.ConnectorRegistry;
import dev.cloned.runtime.connectors.RegistryEntry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What a workspace has, as the graph sees it: the connectors in {@code registry.yaml} plus the gateway's own built-in
 * connector, and the publishers with a trust root in {@code .cloned/trust/publishers/}. Reads only.
 */
public final class WorkspaceInventory {
    /** The catalog connector that stands for the gateway's built-in tools; always present. */
    public static final String BUILTIN_CONNECTOR = "connector.builtin";

    private WorkspaceInventory() {
    }

    /** The inventory of {@code ws}; an absent workspace has only the built-in connector. */
    public static Inventory of(Workspace ws) {
        Set<String> installed = new TreeSet<>();
        installed.add(BUILTIN_CONNECTOR);
        Set<String> verified = new TreeSet<>();
        if (ws.exists()) {
            new ConnectorRegistry(ws.dir()).entries().stream().map(RegistryEntry::id).forEach(installed::add);
            verified.addAll(publishers(ws.publishersDir()));
        }
        return new Inventory(installed, verified);
    }

    private static Set<String> publishers(Path dir) {
        Set<String> ids = new TreeSet<>();
        if (!Files.isDirectory(dir)) {
            return ids;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                .forEach(n -> ids.add(n.substring(0, n.length() - ".json".length())));
        } catch (IOException e) {
            // An unreadable trust folder verifies nobody; the plan then says "publisher not verified".
        }
        return ids;
    }
}
