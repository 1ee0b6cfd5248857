package dev.cloned.rules.pack;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A policy pack after loading and (optionally) applying a workspace overlay: the data the rules read and the DRL
 * sources that decide.
 *
 * @param packId e.g. {@code policy.personal.default}
 * @param tier {@code personal}, {@code shared} or {@code enterprise}
 * @param version the pack's own version
 * @param budgets caps per category
 * @param approvalRules data-driven approval rules, in order
 * @param allowlists what is allowed
 * @param denylists what is denied (always wins)
 * @param allowedOrigins the UI's allowed origins
 * @param rules DRL sources with where each comes from
 * @param tests pack test files (YAML)
 */
public record PolicyPack(String packId, String tier, String version, Map<String, BudgetSpec> budgets,
                         List<ApprovalRuleSpec> approvalRules, Allowlists allowlists, Denylists denylists,
                         List<String> allowedOrigins, List<RuleSource> rules, List<RuleSource> tests) {
    public PolicyPack {
        Objects.requireNonNull(packId, "packId");
        Objects.requireNonNull(tier, "tier");
        budgets = sorted(budgets);
        approvalRules = List.copyOf(approvalRules);
        Objects.requireNonNull(allowlists, "allowlists");
        Objects.requireNonNull(denylists, "denylists");
        allowedOrigins = List.copyOf(allowedOrigins);
        rules = List.copyOf(rules);
        tests = List.copyOf(tests);
    }

    /** A budget cap for one category. */
    public record BudgetSpec(String period, long cap) {
    }

    /**
     * One approval rule: when every given match key equals the call's, approval is required by these approvers.
     * Exactly one of riskLevel, costCategory, toolId is set.
     */
    public record ApprovalRuleSpec(String riskLevel, String costCategory, String toolId, boolean requiresApproval,
                                   List<String> approvers) {
        public ApprovalRuleSpec {
            approvers = List.copyOf(approvers);
        }
    }

    /** Allowlists. An empty {@code tools} or {@code capabilities} list restricts nothing. */
    public record Allowlists(Set<String> publishers, Set<String> tools, Set<String> capabilities,
                             List<String> egressDomains, Map<String, List<String>> egressByConnector,
                             Map<String, List<String>> egressByTool) {
        public Allowlists {
            publishers = sorted(publishers);
            tools = sorted(tools);
            capabilities = sorted(capabilities);
            egressDomains = List.copyOf(egressDomains);
            egressByConnector = sorted(egressByConnector);
            egressByTool = sorted(egressByTool);
        }
    }

    /** Denylists; they always win over allowlists. */
    public record Denylists(Set<String> tools, Set<String> capabilities) {
        public Denylists {
            tools = sorted(tools);
            capabilities = sorted(capabilities);
        }
    }

    // Sorted, unmodifiable copies keep iteration (and so the pack's content hash) deterministic.
    private static Set<String> sorted(Set<String> s) {
        return Collections.unmodifiableSortedSet(new TreeSet<>(s));
    }

    private static <V> Map<String, V> sorted(Map<String, V> m) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(m));
    }
}
