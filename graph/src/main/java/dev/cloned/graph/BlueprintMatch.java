package dev.cloned.graph;

import java.util.List;
import java.util.Objects;

/** A blueprint whose goal phrases appear in the user's goal, and which phrases matched. */
public record BlueprintMatch(String blueprintId, List<String> matchedGoals) {
    public BlueprintMatch {
        Objects.requireNonNull(blueprintId, "blueprintId");
        matchedGoals = List.copyOf(matchedGoals);
    }
}
