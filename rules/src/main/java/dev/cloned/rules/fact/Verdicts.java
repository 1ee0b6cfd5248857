package dev.cloned.rules.fact;

import dev.cloned.rules.Charge;
import dev.cloned.rules.Effect;
import dev.cloned.rules.Reason;
import org.kie.api.runtime.rule.RuleContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where rules put what they conclude. Rules call {@code allow}, {@code deny}, {@code requireApproval} and
 * {@code charge} from their consequences, passing {@code kcontext}. The engine keeps one instance per session and
 * clears it before each decision, so what it holds is always the current decision's.
 */
public final class Verdicts {
    private final List<Reason> reasons = new ArrayList<>(4);
    /** Created by the first charge or approval: most decisions have neither. */
    private Map<String, Long> charges;
    private Set<String> approvers;

    /** Records that the rule allows the call. */
    public void allow(RuleContext ctx, String code, String message) {
        reasons.add(new Reason(code, message, ctx.getRule().getName(), Effect.ALLOW));
    }

    /** Records that the rule denies the call. */
    public void deny(RuleContext ctx, String code, String message) {
        reasons.add(new Reason(code, message, ctx.getRule().getName(), Effect.DENY));
    }

    /** Records that the call needs approval from these approvers. */
    public void requireApproval(RuleContext ctx, String code, String message, List<String> who) {
        reasons.add(new Reason(code, message, ctx.getRule().getName(), Effect.REQUIRE_APPROVAL));
        if (approvers == null) {
            approvers = new LinkedHashSet<>();
        }
        approvers.addAll(who);
    }

    /** Records a charge against a budget category (repeated charges to one category add up). */
    public void charge(String category, long amount) {
        if (charges == null) {
            charges = new LinkedHashMap<>();
        }
        charges.merge(category, amount, Long::sum);
    }

    /** Forgets the previous decision's conclusions (the engine calls this before each decision). */
    public void reset() {
        reasons.clear();
        charges = null;
        approvers = null;
    }

    public List<Reason> reasons() {
        return reasons;
    }

    public List<Charge> charges() {
        if (charges == null) {
            return List.of();
        }
        List<Charge> out = new ArrayList<>(charges.size());
        charges.forEach((category, amount) -> out.add(new Charge(category, amount)));
        return List.copyOf(out);
    }

    public List<String> approvers() {
        return approvers == null ? List.of() : List.copyOf(approvers);
    }

    @Override
    public String toString() {
        return "Verdicts";
    }
}
