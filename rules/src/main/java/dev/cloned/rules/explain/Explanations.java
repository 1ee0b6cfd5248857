package dev.cloned.rules.explain;

import dev.cloned.rules.Decision;
import dev.cloned.rules.FiredRule;
import dev.cloned.rules.Reason;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Builds and renders {@link Explanation}s of decisions. Reads the decision only; decides nothing. */
public final class Explanations {
    private Explanations() {
    }

    /** Explains {@code d}. */
    public static Explanation of(Decision d) {
        List<Explanation.Step> steps = new ArrayList<>();
        int i = 1;
        for (FiredRule f : d.firedRules()) {
            List<Reason> said = d.reasons().stream().filter(r -> r.rule().equals(f.name())).toList();
            steps.add(new Explanation.Step(i++, f.name(), f.source(), f.matched(), said));
        }
        List<Reason> decisive = d.decisiveReasons();
        List<Reason> overruled = d.reasons().stream().filter(r -> r.effect() != d.effect()).toList();
        return new Explanation(d.effect(), d.packHash(), steps, decisive, overruled, why(d));
    }

    /** One sentence on why the final effect won, e.g. for the audit's {@code policy_decision.why}. */
    public static String why(Decision d) {
        List<Reason> decisive = d.decisiveReasons();
        String by = describe(decisive);
        List<Reason> lost = d.reasons().stream().filter(r -> r.effect() != d.effect()).toList();
        String over = lost.isEmpty() ? "" : "; it overrules " + describe(lost);
        return switch (d.effect()) {
            case DENY -> decisive.stream().allMatch(r -> r.code().equals("not_allowed"))
                ? "deny: no rule allows this call (default deny)" + over
                : "deny: " + by + " — deny beats approval beats allow" + over;
            case REQUIRE_APPROVAL -> "require_approval: " + by + " — approval beats allow, and no rule denies" + over;
            case ALLOW -> "allow: " + by + ", and no rule denies or requires approval" + over;
        };
    }

    /** A human rendering, one block per fired rule. */
    public static String text(Explanation e) {
        StringBuilder sb = new StringBuilder();
        sb.append("effect: ").append(e.effect().wire());
        if (!e.decisive().isEmpty()) {
            sb.append(" (").append(e.decisive().get(0).code()).append(')');
        }
        sb.append("   pack ").append(e.packHash(), 0, Math.min(12, e.packHash().length())).append('\n');
        sb.append(e.steps().isEmpty() ? "no rule fired\n" : "fired rules, in order:\n");
        for (Explanation.Step s : e.steps()) {
            sb.append(String.format("%3d. %s  [%s]%n", s.order(), s.rule(), s.source()));
            for (String m : s.matched()) {
                sb.append("       matched ").append(m).append('\n');
            }
            if (s.said().isEmpty()) {
                sb.append("       -> no verdict (charges or prepares only)\n");
            }
            for (Reason r : s.said()) {
                sb.append("       -> ").append(r.effect().wire()).append(' ').append(r.code()).append(": ")
                    .append(r.message()).append('\n');
            }
        }
        for (Reason r : e.decisive()) {
            if (e.steps().stream().noneMatch(s -> s.rule().equals(r.rule()))) {
                sb.append("     ").append(r.rule()).append(" -> ").append(r.effect().wire()).append(' ')
                    .append(r.code()).append(": ").append(r.message()).append('\n');
            }
        }
        sb.append("why: ").append(e.why()).append('\n');
        return sb.toString();
    }

    private static String describe(List<Reason> reasons) {
        Set<String> parts = new LinkedHashSet<>();
        for (Reason r : reasons) {
            parts.add(r.effect().wire() + " by " + r.rule() + " (" + r.code() + ")");
        }
        return String.join(", ", parts);
    }

}
