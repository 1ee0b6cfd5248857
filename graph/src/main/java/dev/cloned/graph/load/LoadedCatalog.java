package dev.cloned.graph.load;

import dev.cloned.graph.Catalog;

import java.util.Objects;

/** A catalog read from files, with a locator that maps each entity back to its file and JSON pointer. */
public record LoadedCatalog(Catalog catalog, Locator locator) {
    public LoadedCatalog {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(locator, "locator");
    }
}
