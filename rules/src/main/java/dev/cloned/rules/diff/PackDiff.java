package dev.cloned.rules.diff;

import java.util.List;

/**
 * The differences between two packs: rules (by name and body) and data (budgets, approval rules, allow- and
 * denylists, origins).
 *
 * @param left name of the first pack as given
 * @param right name of the second pack as given
 * @param leftHash content hash of the first pack
 * @param rightHash content hash of the second pack
 * @param rules rule changes, sorted by name
 * @param data data changes, in pack order
 */
public record PackDiff(String left, String right, String leftHash, String rightHash, List<RuleChange> rules,
                       List<DataChange> data) {
    public PackDiff {
        rules = List.copyOf(rules);
        data = List.copyOf(data);
    }

    /** Whether the packs decide alike (same rules, same data). */
    public boolean same() {
        return rules.isEmpty() && data.isEmpty();
    }

    /** How something changed. */
    public enum Change {
        ADDED, REMOVED, CHANGED;

        /** {@code added}, {@code removed}, {@code changed}. */
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A rule added, removed, or whose body changed.
     *
     * @param name rule name
     * @param change what happened
     * @param leftSource where the rule comes from in the first pack, or {@code null}
     * @param rightSource where it comes from in the second pack, or {@code null}
     * @param leftBody the rule text in the first pack, or {@code null}
     * @param rightBody the rule text in the second pack, or {@code null}
     */
    public record RuleChange(String name, Change change, String leftSource, String rightSource, String leftBody,
                             String rightBody) {
    }

    /**
     * A data entry added, removed or changed.
     *
     * @param path where in the pack, e.g. {@code allowlists.egress_by_tool[cloned.mcp.web.search@v1]}
     * @param change what happened
     * @param before the old value, or {@code null} when added
     * @param after the new value, or {@code null} when removed
     */
    public record DataChange(String path, Change change, String before, String after) {
    }
}
