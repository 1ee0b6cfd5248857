package dev.cloned.runtime.vault;

import java.util.Map;
import java.util.Optional;

/** Read access to environment variables, so tests and the CLI can supply them without touching the process. */
@FunctionalInterface
public interface Environment {
    /** The value of {@code name}, absent when unset or blank. */
    Optional<String> get(String name);

    /** The process environment. */
    static Environment system() {
        return name -> Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
    }

    /** A fixed set of variables (a copy of {@code vars}). */
    static Environment of(Map<String, String> vars) {
        Map<String, String> copy = Map.copyOf(vars);
        return name -> Optional.ofNullable(copy.get(name)).filter(v -> !v.isBlank());
    }
}
