package dev.cloned.rules.pack;

import java.util.Objects;

/**
 * A text file that belongs to a pack (a DRL file or a test file), with its origin for error messages and for
 * {@code cloned policy show}.
 *
 * @param name file name, e.g. {@code governance.drl}
 * @param origin where it was read from: {@code pack:<path>}, {@code lib:<name>} or {@code overlay:<path>}
 * @param content the text
 */
public record RuleSource(String name, String origin, String content) {
    public RuleSource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(content, "content");
    }
}
