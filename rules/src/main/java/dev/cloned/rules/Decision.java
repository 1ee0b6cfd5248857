package dev.cloned.rules;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of evaluating the policy pack for one call. A denial is a value, not an exception.
 *
 * @param effect the final effect (deny beats approval beats allow; nothing allowing means deny)
 * @param reasons every reason the rules gave, strongest first
 * @param firedRules the rules that fired, in order
 * @param egress how the outbound host resolved, or {@code null} when the call has none
 * @param charges what the call would charge per budget category
 * @param approvers who may approve, when the effect is {@link Effect#REQUIRE_APPROVAL}
 * @param packHash content hash of the policy snapshot that decided
 */
public record Decision(Effect effect, List<Reason> reasons, List<FiredRule> firedRules, EgressMatch egress,
                       List<Charge> charges, List<String> approvers, String packHash) {
    public Decision {
        Objects.requireNonNull(effect, "effect");
        reasons = List.copyOf(reasons);
        firedRules = List.copyOf(firedRules);
        charges = List.copyOf(charges);
        approvers = List.copyOf(approvers);
        Objects.requireNonNull(packHash, "packHash");
    }

    /** The reasons that carry the final effect (for a deny: the deny reasons). */
    public List<Reason> decisiveReasons() {
        return reasons.stream().filter(r -> r.effect() == effect).toList();
    }

    /** The first decisive reason's code, e.g. {@code egress_denied}. */
    public String primaryCode() {
        List<Reason> decisive = decisiveReasons();
        return decisive.isEmpty() ? "no_reason" : decisive.get(0).code();
    }

    /** Names of the fired rules, in order. */
    public List<String> firedRuleNames() {
        return firedRules.stream().map(FiredRule::name).toList();
    }

    /** A deny decision produced outside the rules, e.g. when the engine itself failed. */
    public static Decision denyBySystem(String code, String message, String packHash) {
        return new Decision(Effect.DENY, List.of(new Reason(code, message, "system", Effect.DENY)), List.of(), null,
            List.of(), List.of(), packHash);
    }
}
