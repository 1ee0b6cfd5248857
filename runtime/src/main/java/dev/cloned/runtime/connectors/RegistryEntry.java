package dev.cloned.runtime.connectors;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** One installed connector as recorded in {@code .cloned/registry.yaml}; {@code path} is relative to {@code .cloned/}. */
public record RegistryEntry(String id, String version, String publisherId, boolean enabled, Instant installedAt,
                            String manifestSha256, String path, List<String> tools) {
    public RegistryEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(publisherId, "publisherId");
        Objects.requireNonNull(installedAt, "installedAt");
        Objects.requireNonNull(manifestSha256, "manifestSha256");
        Objects.requireNonNull(path, "path");
        tools = List.copyOf(tools);
    }

    /** The same entry with another enabled flag. */
    public RegistryEntry withEnabled(boolean value) {
        return new RegistryEntry(id, version, publisherId, value, installedAt, manifestSha256, path, tools);
    }
}
