package dev.cloned.graph;

import java.util.Comparator;
import java.util.Objects;

/** A directed, labelled edge of the capability graph. */
public record Link(GraphNode source, GraphNode target, Relation relation) implements Comparable<Link> {
    private static final Comparator<Link> ORDER = Comparator.comparing(Link::source)
            .thenComparing(Link::target).thenComparing(Link::relation);

    public Link {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(relation, "relation");
    }

    /** Orders by source, target, then relation, so exports are deterministic. */
    @Override
    public int compareTo(Link other) {
        return ORDER.compare(this, other);
    }
}
