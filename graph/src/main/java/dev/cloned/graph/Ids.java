package dev.cloned.graph;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/** Shared checks for the model records' compact constructors. */
final class Ids {
    static final Pattern DOTTED = Pattern.compile("^[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*$");
    static final Pattern TOOL = Pattern.compile("^[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*@v[0-9]+$");

    private Ids() {
    }

    static String dotted(String value, String field) {
        Objects.requireNonNull(value, field);
        if (!DOTTED.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be a dotted lower-case id, got: '" + value + "'");
        }
        return value;
    }

    static String text(String value, String field) {
        Objects.requireNonNull(value, field);
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        return value;
    }

    /** An immutable copy that rejects nulls and duplicates, keeping the author's order. */
    static List<String> distinct(List<String> values, String field) {
        Objects.requireNonNull(values, field);
        Set<String> seen = new HashSet<>();
        for (String v : values) {
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException(field + " must not contain blank entries");
            }
            if (!seen.add(v)) {
                throw new IllegalArgumentException(field + " lists '" + v + "' twice");
            }
        }
        return List.copyOf(values);
    }

    static List<String> dottedIds(List<String> values, String field) {
        List<String> copy = distinct(values, field);
        copy.forEach(v -> dotted(v, field));
        return copy;
    }
}
