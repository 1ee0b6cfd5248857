package dev.cloned.rules.pack;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Merges overlay data onto a pack: lists are unioned (deduplicated), budget caps are replaced, approval rules appended. */
final class OverlayMerge {
    private OverlayMerge() {
    }

    static PolicyPack apply(PolicyPack pack, JsonNode overlay, String where) {
        Map<String, PolicyPack.BudgetSpec> budgets = new LinkedHashMap<>(pack.budgets());
        budgets.putAll(PackLoader.budgets(overlay.path("budgets")));
        List<PolicyPack.ApprovalRuleSpec> approvals = new ArrayList<>(pack.approvalRules());
        approvals.addAll(approvalRules(overlay.path("approvals").path("rules")));
        PolicyPack.Allowlists a = pack.allowlists();
        PolicyPack.Allowlists o = PackLoader.allowlists(overlay.path("allowlists"), where);
        PolicyPack.Allowlists allow = new PolicyPack.Allowlists(union(a.publishers(), o.publishers()),
            union(a.tools(), o.tools()), union(a.capabilities(), o.capabilities()),
            unionList(a.egressDomains(), o.egressDomains()), unionMap(a.egressByConnector(), o.egressByConnector()),
            unionMap(a.egressByTool(), o.egressByTool()));
        PolicyPack.Denylists d = pack.denylists();
        PolicyPack.Denylists od = PackLoader.denylists(overlay.path("denylists"));
        PolicyPack.Denylists deny = new PolicyPack.Denylists(union(d.tools(), od.tools()),
            union(d.capabilities(), od.capabilities()));
        List<String> origins = unionList(pack.allowedOrigins(),
            PackLoader.strings(overlay.path("ui").path("allowed_origins")));
        return new PolicyPack(pack.packId(), pack.tier(), pack.version(), budgets, approvals, allow, deny, origins,
            pack.rules(), pack.tests());
    }

    static List<PolicyPack.ApprovalRuleSpec> approvalRules(JsonNode node) {
        List<PolicyPack.ApprovalRuleSpec> out = new ArrayList<>();
        for (JsonNode r : node) {
            JsonNode m = r.path("match");
            out.add(new PolicyPack.ApprovalRuleSpec(text(m, "risk_level"), text(m, "cost_category"),
                text(m, "tool_id"), r.path("requires_approval").asBoolean(true), PackLoader.strings(r.path("approvers"))));
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.addAll(b);
        return out;
    }

    private static List<String> unionList(List<String> a, List<String> b) {
        Set<String> out = new LinkedHashSet<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }

    private static Map<String, List<String>> unionMap(Map<String, List<String>> a, Map<String, List<String>> b) {
        Map<String, List<String>> out = new LinkedHashMap<>(a);
        b.forEach((k, v) -> out.merge(k, v, OverlayMerge::unionList));
        return out;
    }
}
