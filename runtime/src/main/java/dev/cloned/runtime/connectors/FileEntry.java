package dev.cloned.runtime.connectors;

import java.util.Objects;

/** A file of a connector package, relative to the package directory with {@code /} separators, and its SHA-256. */
public record FileEntry(String path, String sha256) {
    public FileEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
    }
}
