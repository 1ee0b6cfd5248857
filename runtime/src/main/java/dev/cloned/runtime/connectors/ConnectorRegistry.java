package dev.cloned.runtime.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.runtime.files.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Reads and writes the installed-connector list in {@code .cloned/registry.yaml} (schema
 * {@code connector-registry.schema.json}). Writes are locked read-modify-write cycles replaced atomically;
 * other top-level keys of the file are kept as they are.
 */
public final class ConnectorRegistry {
    /** File name inside {@code .cloned/}. */
    public static final String FILE = "registry.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private final Path file;

    public ConnectorRegistry(Path clonedDir) {
        this.file = clonedDir.resolve(FILE);
    }

    /** All installed connectors, sorted by id. */
    public List<RegistryEntry> entries() {
        return fromTree(read());
    }

    /** The entry of {@code id}, if installed. */
    public Optional<RegistryEntry> find(String id) {
        return entries().stream().filter(e -> e.id().equals(id)).findFirst();
    }

    /** Adds or replaces the entry with the same id. */
    public void put(RegistryEntry entry) {
        update(list -> {
            list.removeIf(e -> e.id().equals(entry.id()));
            list.add(entry);
            return list;
        });
    }

    /** Removes the entry of {@code id}; returns whether it existed. */
    public boolean remove(String id) {
        boolean[] found = {false};
        update(list -> {
            found[0] = list.removeIf(e -> e.id().equals(id));
            return list;
        });
        return found[0];
    }

    /** Changes the entry of {@code id} in one locked cycle; {@link ErrorCode#NOT_FOUND} when absent. */
    public RegistryEntry change(String id, UnaryOperator<RegistryEntry> change) {
        RegistryEntry[] out = new RegistryEntry[1];
        update(list -> {
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i).id().equals(id)) {
                    out[0] = change.apply(list.get(i));
                    list.set(i, out[0]);
                    return list;
                }
            }
            throw notInstalled(id);
        });
        return out[0];
    }

    /** The error for an id that is not installed. */
    public static ClonedException notInstalled(String id) {
        return new ClonedException(ErrorCode.NOT_FOUND, "connector '" + id + "' is not installed",
                "'cloned connectors list' shows the installed connectors");
    }

    private void update(UnaryOperator<List<RegistryEntry>> change) {
        try (AtomicFiles.ExclusiveLock ignored = AtomicFiles.lock(file.resolveSibling(FILE + ".lock"))) {
            ObjectNode root = read();
            List<RegistryEntry> list = change.apply(new ArrayList<>(fromTree(root)));
            list.sort(Comparator.comparing(RegistryEntry::id));
            ArrayNode arr = root.putArray("connectors");
            for (RegistryEntry e : list) {
                ObjectNode n = arr.addObject();
                n.put("id", e.id());
                n.put("version", e.version());
                n.put("publisher_id", e.publisherId());
                n.put("enabled", e.enabled());
                n.put("installed_at", e.installedAt().toString());
                n.put("manifest_sha256", e.manifestSha256());
                n.put("path", e.path());
                ArrayNode tools = n.putArray("tools");
                e.tools().forEach(tools::add);
            }
            AtomicFiles.write(file, YAML.writeValueAsBytes(root));
        } catch (IOException e) {
            throw new ClonedException(ErrorCode.WORKSPACE_INVALID, "cannot write " + file + ": " + e.getMessage(), null, e);
        }
    }

    private ObjectNode read() {
        try {
            JsonNode root = YAML.readTree(Files.readAllBytes(file));
            if (root == null || root.isMissingNode() || root.isNull()) {
                return YAML.createObjectNode();
            }
            if (!root.isObject()) {
                throw new ClonedException(ErrorCode.WORKSPACE_INVALID, file + " must be a YAML map");
            }
            List<String> problems = Schemas.validate(Schemas.REGISTRY, root);
            if (!problems.isEmpty()) {
                throw new ClonedException(ErrorCode.WORKSPACE_INVALID, file + " is invalid: " + String.join("; ", problems));
            }
            return (ObjectNode) root;
        } catch (NoSuchFileException e) {
            return YAML.createObjectNode();
        } catch (IOException e) {
            throw new ClonedException(ErrorCode.WORKSPACE_INVALID, "cannot read " + file + ": " + e.getMessage(), null, e);
        }
    }

    private static List<RegistryEntry> fromTree(JsonNode root) {
        List<RegistryEntry> out = new ArrayList<>();
        for (JsonNode n : root.path("connectors")) {
            List<String> tools = new ArrayList<>();
            n.path("tools").forEach(t -> tools.add(t.asText()));
            out.add(new RegistryEntry(n.get("id").asText(), n.get("version").asText(), n.get("publisher_id").asText(),
                    n.get("enabled").asBoolean(), Instant.parse(n.get("installed_at").asText()),
                    n.get("manifest_sha256").asText(), n.get("path").asText(), tools));
        }
        out.sort(Comparator.comparing(RegistryEntry::id));
        return out;
    }
}
