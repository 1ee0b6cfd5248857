package dev.cloned.rules.blueprint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The global {@code ledger} of {@code selection.drl}: rules call {@link #score}, {@link #exclude} and
 * {@link #warn}; each entry is attributed to the rule that is firing, so every choice carries its reasons.
 */
public final class SelectionLedger {
    private final Map<String, List<ScoreReason>> scores = new LinkedHashMap<>();
    private final Map<String, List<ScoreReason>> exclusions = new LinkedHashMap<>();
    private final Set<String> warnings = new LinkedHashSet<>();
    private final Set<String> fired = new LinkedHashSet<>();
    private String currentRule = "(none)";

    /** Adds {@code delta} to the blueprint's score, with a human reason. */
    public void score(String blueprintId, int delta, String message) {
        scores.computeIfAbsent(blueprintId, k -> new ArrayList<>()).add(new ScoreReason(currentRule, delta, message));
    }

    /** Excludes the blueprint from the ranking, with a human reason. */
    public void exclude(String blueprintId, String message) {
        exclusions.computeIfAbsent(blueprintId, k -> new ArrayList<>()).add(new ScoreReason(currentRule, 0, message));
    }

    /** Records a warning about the request itself (e.g. an unknown constraint). */
    public void warn(String message) {
        warnings.add(message);
    }

    void enter(String rule) {
        currentRule = rule;
        fired.add(rule);
    }

    List<ScoreReason> scoreReasons(String blueprintId) {
        return scores.getOrDefault(blueprintId, List.of());
    }

    List<ScoreReason> exclusionReasons(String blueprintId) {
        return exclusions.getOrDefault(blueprintId, List.of());
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }

    List<String> firedRules() {
        return fired.stream().sorted().toList();
    }
}
