package dev.cloned.graph.load;

import dev.cloned.graph.NodeKind;

/** Says where an entity of the catalog came from, so a load error can name the file and the field. */
public interface Locator {

    /**
     * Where the field of an entity lives, e.g. {@code blueprints/capabilities.yaml: /capabilities/3/prerequisites/1}.
     *
     * @param pointer a JSON pointer relative to the entity, e.g. {@code /prerequisites/1} (may be empty)
     */
    String locate(NodeKind kind, String id, String pointer);

    /** A locator for catalogs built in code: names the entity instead of a file. */
    static Locator byEntity() {
        return (kind, id, pointer) -> kind.wire() + " " + id + (pointer.isEmpty() ? "" : ": " + pointer);
    }
}
