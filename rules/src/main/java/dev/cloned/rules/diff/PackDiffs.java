package dev.cloned.rules.diff;

import dev.cloned.rules.Policies;
import dev.cloned.rules.pack.PolicyPack;
import dev.cloned.rules.pack.RuleSource;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Computes and renders {@link PackDiff}s. Reads pack text and data only; compiles nothing. */
public final class PackDiffs {
    private static final Pattern RULE = Pattern.compile("(?m)^\\s*rule\\s+(?:\"([^\"]+)\"|'([^']+)'|(\\S+))");
    private static final Pattern END = Pattern.compile("(?m)^\\s*end\\s*$");

    private PackDiffs() {
    }

    /** The differences from {@code a} to {@code b}. */
    public static PackDiff between(String leftName, PolicyPack a, String rightName, PolicyPack b) {
        return new PackDiff(leftName, rightName, Policies.hash(a), Policies.hash(b), rules(a, b), data(a, b));
    }

    private record Rule(String source, String body) {
    }

    private static List<PackDiff.RuleChange> rules(PolicyPack a, PolicyPack b) {
        Map<String, Rule> ra = rulesOf(a);
        Map<String, Rule> rb = rulesOf(b);
        Set<String> names = new TreeSet<>(ra.keySet());
        names.addAll(rb.keySet());
        List<PackDiff.RuleChange> out = new ArrayList<>();
        for (String n : names) {
            Rule x = ra.get(n);
            Rule y = rb.get(n);
            if (x == null) {
                out.add(new PackDiff.RuleChange(n, PackDiff.Change.ADDED, null, y.source, null, y.body));
            } else if (y == null) {
                out.add(new PackDiff.RuleChange(n, PackDiff.Change.REMOVED, x.source, null, x.body, null));
            } else if (!normalize(x.body).equals(normalize(y.body))) {
                out.add(new PackDiff.RuleChange(n, PackDiff.Change.CHANGED, x.source, y.source, x.body, y.body));
            }
        }
        return out;
    }

    /** Each rule's text ({@code rule ... end}) by name, with its source. */
    static Map<String, Rule> rulesOf(PolicyPack p) {
        Map<String, Rule> out = new LinkedHashMap<>();
        for (RuleSource s : p.rules()) {
            String text = s.content().replaceAll("(?s)/\\*.*?\\*/", "");
            Matcher m = RULE.matcher(text);
            while (m.find()) {
                String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
                Matcher e = END.matcher(text);
                int end = e.find(m.end()) ? e.end() : text.length();
                out.putIfAbsent(name, new Rule(s.origin(), text.substring(m.start(), end).strip()));
            }
        }
        return out;
    }

    private static String normalize(String body) {
        StringBuilder sb = new StringBuilder();
        for (String line : body.split("\n")) {
            String l = line.replaceAll("//.*$", "").strip();
            if (!l.isEmpty()) {
                sb.append(l.replaceAll("\\s+", " ")).append('\n');
            }
        }
        return sb.toString();
    }

    private static List<PackDiff.DataChange> data(PolicyPack a, PolicyPack b) {
        List<PackDiff.DataChange> out = new ArrayList<>();
        value(out, "pack_id", a.packId(), b.packId());
        value(out, "tier", a.tier(), b.tier());
        value(out, "version", a.version(), b.version());
        Set<String> cats = new TreeSet<>(a.budgets().keySet());
        cats.addAll(b.budgets().keySet());
        for (String c : cats) {
            value(out, "budgets." + c, budget(a.budgets().get(c)), budget(b.budgets().get(c)));
        }
        entries(out, "approvals.rules", approvals(a), approvals(b));
        PolicyPack.Allowlists x = a.allowlists();
        PolicyPack.Allowlists y = b.allowlists();
        entries(out, "allowlists.publishers", x.publishers(), y.publishers());
        entries(out, "allowlists.tools", x.tools(), y.tools());
        entries(out, "allowlists.capabilities", x.capabilities(), y.capabilities());
        entries(out, "allowlists.egress_domains", x.egressDomains(), y.egressDomains());
        scoped(out, "allowlists.egress_by_connector", x.egressByConnector(), y.egressByConnector());
        scoped(out, "allowlists.egress_by_tool", x.egressByTool(), y.egressByTool());
        entries(out, "denylists.tools", a.denylists().tools(), b.denylists().tools());
        entries(out, "denylists.capabilities", a.denylists().capabilities(), b.denylists().capabilities());
        entries(out, "ui.allowed_origins", a.allowedOrigins(), b.allowedOrigins());
        return out;
    }

    private static String budget(PolicyPack.BudgetSpec s) {
        return s == null ? null : s.cap() + " per " + s.period();
    }

    private static List<String> approvals(PolicyPack p) {
        List<String> out = new ArrayList<>();
        for (PolicyPack.ApprovalRuleSpec r : p.approvalRules()) {
            String match = r.riskLevel() != null ? "risk_level=" + r.riskLevel()
                : r.costCategory() != null ? "cost_category=" + r.costCategory() : "tool_id=" + r.toolId();
            out.add(match + (r.requiresApproval() ? " requires approval by " + r.approvers() : " (no approval)"));
        }
        return out;
    }

    private static void value(List<PackDiff.DataChange> out, String path, String before, String after) {
        if (Objects.equals(before, after)) {
            return;
        }
        PackDiff.Change c = before == null ? PackDiff.Change.ADDED : after == null ? PackDiff.Change.REMOVED
            : PackDiff.Change.CHANGED;
        out.add(new PackDiff.DataChange(path, c, before, after));
    }

    private static void entries(List<PackDiff.DataChange> out, String path, Collection<String> before,
                                Collection<String> after) {
        Set<String> x = new LinkedHashSet<>(before);
        Set<String> y = new LinkedHashSet<>(after);
        for (String v : x) {
            if (!y.contains(v)) {
                out.add(new PackDiff.DataChange(path, PackDiff.Change.REMOVED, v, null));
            }
        }
        for (String v : y) {
            if (!x.contains(v)) {
                out.add(new PackDiff.DataChange(path, PackDiff.Change.ADDED, null, v));
            }
        }
    }

    private static void scoped(List<PackDiff.DataChange> out, String path, Map<String, List<String>> before,
                               Map<String, List<String>> after) {
        Set<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String k : keys) {
            entries(out, path + "[" + k + "]", before.getOrDefault(k, List.of()), after.getOrDefault(k, List.of()));
        }
    }

    /** A human rendering: one line per change, rule bodies indented under changed rules. */
    public static String text(PackDiff d) {
        StringBuilder sb = new StringBuilder();
        sb.append("--- ").append(d.left()).append("  ").append(d.leftHash(), 0, 12).append('\n');
        sb.append("+++ ").append(d.right()).append("  ").append(d.rightHash(), 0, 12).append('\n');
        if (d.same()) {
            return sb.append("no differences in rules or data\n").toString();
        }
        if (!d.rules().isEmpty()) {
            sb.append("rules:\n");
        }
        for (PackDiff.RuleChange r : d.rules()) {
            switch (r.change()) {
                case ADDED -> sb.append("  + ").append(r.name()).append("  [").append(r.rightSource()).append("]\n");
                case REMOVED -> sb.append("  - ").append(r.name()).append("  [").append(r.leftSource()).append("]\n");
                case CHANGED -> {
                    sb.append("  ~ ").append(r.name()).append("  [").append(r.leftSource()).append(" -> ")
                        .append(r.rightSource()).append("]\n");
                    lineDiff(sb, r.leftBody(), r.rightBody());
                }
            }
        }
        if (!d.data().isEmpty()) {
            sb.append("data:\n");
        }
        for (PackDiff.DataChange c : d.data()) {
            switch (c.change()) {
                case ADDED -> sb.append("  + ").append(c.path()).append(": ").append(c.after()).append('\n');
                case REMOVED -> sb.append("  - ").append(c.path()).append(": ").append(c.before()).append('\n');
                case CHANGED -> sb.append("  ~ ").append(c.path()).append(": ").append(c.before()).append(" -> ")
                    .append(c.after()).append('\n');
            }
        }
        return sb.toString();
    }

    /** Lines only in the left body (-) and only in the right body (+); enough for rule-sized texts. */
    private static void lineDiff(StringBuilder sb, String left, String right) {
        List<String> l = left.lines().map(String::strip).toList();
        List<String> r = right.lines().map(String::strip).toList();
        l.stream().filter(x -> !r.contains(x)).forEach(x -> sb.append("      - ").append(x).append('\n'));
        r.stream().filter(x -> !l.contains(x)).forEach(x -> sb.append("      + ").append(x).append('\n'));
    }
}
