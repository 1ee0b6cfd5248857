package dev.cloned.rules.explain;

import dev.cloned.rules.Effect;
import dev.cloned.rules.Reason;

import java.util.List;

/**
 * Why a decision came out as it did: every rule that fired, in order, with the facts it matched and what it said;
 * and why the final effect won (deny beats approval beats allow; a call nothing allows is denied).
 *
 * @param effect the final effect
 * @param packHash the snapshot that decided
 * @param steps the fired rules, in firing order
 * @param decisive the reasons that carry the final effect
 * @param overruled the reasons that asked for a weaker effect and lost
 * @param why one sentence on why the final effect won
 */
public record Explanation(Effect effect, String packHash, List<Step> steps, List<Reason> decisive,
                          List<Reason> overruled, String why) {
    public Explanation {
        steps = List.copyOf(steps);
        decisive = List.copyOf(decisive);
        overruled = List.copyOf(overruled);
    }

    /**
     * One fired rule.
     *
     * @param order 1-based firing order
     * @param rule rule name
     * @param source the file it comes from
     * @param matched the facts it matched
     * @param said what it concluded (empty for rules that only charge or prepare)
     */
    public record Step(int order, String rule, String source, List<String> matched, List<Reason> said) {
        public Step {
            matched = List.copyOf(matched);
            said = List.copyOf(said);
        }
    }
}
