package dev.cloned.rules;

import dev.cloned.rules.pack.PolicyPack;

import java.time.Instant;
import java.util.List;

/**
 * A compiled, immutable policy: the one engine behind live calls, dry runs, policy tests and simulation.
 * Deciding never changes state; the same facts always give the same decision.
 */
public interface PolicyEngine {
    /** Decides a call given what is left of the budgets in its window. Never throws: failures become a deny. */
    Decision decide(CallFacts facts, List<BudgetState> budgets);

    /**
     * Whether identical facts always give the same decision. False when a rule reads the clock or randomness: such
     * decisions are never reused, live or in a replay.
     */
    default boolean deterministic() {
        return true;
    }

    /** The pack's egress allowlists, resolved the way this engine's decisions resolve them. */
    default dev.cloned.rules.egress.EgressPolicy egress() {
        return new dev.cloned.rules.egress.EgressPolicy(pack().allowlists());
    }

    /** The pack this engine was compiled from (overlay applied). */
    PolicyPack pack();

    /** Content hash of pack data and rules; identifies the snapshot in decisions and the audit. */
    String hash();

    /** When this snapshot was compiled or loaded. */
    Instant activatedAt();

    /** {@code compiled} when this process compiled the rules, {@code cache} when they were loaded from a cache. */
    String origin();

    /** Names of the rules in the snapshot, with the source each comes from, in source order. */
    List<RuleInfo> rules();

    /** A rule's name and the file it comes from. */
    record RuleInfo(String name, String source) {
    }
}
