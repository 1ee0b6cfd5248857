package dev.cloned.rules.blueprint;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of blueprint selection: ranked blueprints (score descending, then id), excluded ones with their
 * reasons, warnings about the request (e.g. an unknown constraint) and the names of the rules that fired.
 */
public record BlueprintSelection(List<RankedBlueprint> ranked, List<ExcludedBlueprint> excluded,
                                 List<String> warnings, List<String> firedRules) {
    public BlueprintSelection {
        ranked = List.copyOf(ranked);
        excluded = List.copyOf(excluded);
        warnings = List.copyOf(warnings);
        firedRules = List.copyOf(firedRules);
    }

    /** The top-ranked blueprint, if any passed the constraints. */
    public Optional<RankedBlueprint> best() {
        return ranked.isEmpty() ? Optional.empty() : Optional.of(ranked.get(0));
    }
}
