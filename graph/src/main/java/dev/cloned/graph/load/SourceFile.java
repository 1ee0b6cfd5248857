package dev.cloned.graph.load;

import java.util.Objects;

/** One file to load: the name used in error messages and its text. */
public record SourceFile(String name, String text) {
    public SourceFile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(text, "text");
    }
}
