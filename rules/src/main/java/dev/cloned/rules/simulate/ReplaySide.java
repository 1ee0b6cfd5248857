package dev.cloned.rules.simulate;

import dev.cloned.rules.BudgetState;
import dev.cloned.rules.CallFacts;
import dev.cloned.rules.Charge;
import dev.cloned.rules.Decision;
import dev.cloned.rules.Effect;
import dev.cloned.rules.PolicyEngine;
import dev.cloned.rules.Reason;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Replays calls in order through one engine, as the live path would: decide with the budget state of the call's
 * window, then reserve the charges of calls that go through (all or none, within the cap). Identical inputs are
 * decided once: the engine is deterministic and the rules see neither the time nor the window end, so a decision for
 * the same facts and the same budget usage is reused.
 */
final class ReplaySide {
    private static final int MEMO_LIMIT = 1 << 16;

    /** The outcome of one call on this side. */
    record Outcome(Effect effect, Verdict verdict, String blockedCategory) {
    }

    /**
     * What the replay and its report use of a decision. Replays keep this, not the decision (whose messages and rule
     * matches are most of its size), and one instance per distinct verdict, so a long replay holds little.
     *
     * @param effect the decision's effect
     * @param primaryCode its first decisive reason's code
     * @param firedRules names of the rules that fired, in order
     * @param charges what the call would charge
     * @param budgetDenied whether a deny reason is {@code budget_exceeded}
     */
    record Verdict(Effect effect, String primaryCode, List<String> firedRules, List<Charge> charges,
                   boolean budgetDenied) {
        static Verdict of(Decision d) {
            boolean budget = false;
            for (Reason r : d.reasons()) {
                budget |= r.effect() == Effect.DENY && r.code().equals("budget_exceeded");
            }
            return new Verdict(d.effect(), d.primaryCode(), d.firedRuleNames(), d.charges(), budget);
        }
    }

    /**
     * What a decision depends on: the facts without the time, and the usage of the call's capped category ({@code -1}
     * when it has none). The budget state the rules get is that usage with the category's cap and period, which are
     * fixed for one side; its window end is not visible to rules.
     */
    private record Key(String toolId, boolean registered, String connectorId, String publisherId,
                       List<String> capabilities, String riskLevel, String costCategory, Long costEstimate,
                       String egressHost, String actor, boolean dryRun, long used) {
        static Key of(CallFacts f, long used) {
            return new Key(f.toolId(), f.registered(), f.connectorId(), f.publisherId(), f.capabilities(),
                f.riskLevel(), f.costCategory(), f.costEstimate(), f.egressHost(), f.actor(), f.dryRun(), used);
        }

        @Override
        public int hashCode() {
            int h = toolId.hashCode();
            h = 31 * h + Objects.hashCode(connectorId);
            h = 31 * h + Objects.hashCode(publisherId);
            h = 31 * h + capabilities.hashCode();
            h = 31 * h + riskLevel.hashCode();
            h = 31 * h + Objects.hashCode(costCategory);
            h = 31 * h + Objects.hashCode(costEstimate);
            h = 31 * h + Objects.hashCode(egressHost);
            h = 31 * h + actor.hashCode();
            h = 31 * h + Long.hashCode(used);
            return 4 * h + (registered ? 2 : 0) + (dryRun ? 1 : 0);
        }
    }

    /** A verdict, and the outcome of a call that it decides without a budget shortfall (the common case). */
    private record Decided(Verdict verdict, Outcome plain) {
        Decided(Verdict v) {
            this(v, new Outcome(v.effect(), v, null));
        }
    }

    private final PolicyEngine engine;
    private final BudgetLedger ledger;
    private final boolean memoize;
    private final Map<Key, Decided> memo = new HashMap<>();
    private final Map<Verdict, Decided> verdicts = new HashMap<>();
    /**
     * The engine hands out one instance for identical budget-free calls: their verdict is found by identity. Small, so
     * that it does not keep the (large) decisions of metered calls alive.
     */
    private final Map<Decision, Decided> byInstance = new IdentityHashMap<>();
    private final Map<String, long[]> charged = new HashMap<>();
    private final Map<String, long[]> blocked = new HashMap<>();

    ReplaySide(PolicyEngine engine, UsageSeed seed, boolean memoize) {
        this.engine = engine;
        this.ledger = new BudgetLedger(engine.pack(), seed);
        this.memoize = memoize && engine.deterministic();
    }

    PolicyEngine engine() {
        return engine;
    }

    Outcome[] replay(List<RecordedCall> calls) {
        Outcome[] out = new Outcome[calls.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = replay(calls.get(i));
        }
        return out;
    }

    /** Replays {@code calls[indices[0..count)]} in that order, into the same positions of {@code out}. */
    void replay(List<RecordedCall> calls, int[] indices, int count, Outcome[] out) {
        for (int k = 0; k < count; k++) {
            int i = indices[k];
            out[i] = replay(calls.get(i));
        }
    }

    Outcome replay(RecordedCall rc) {
        CallFacts f = rc.facts();
        BudgetLedger.Meter meter = ledger.meter(f.costCategory());
        long used = meter == null ? -1 : ledger.usage(meter, f.at())[0];
        Decided decided = decide(f, meter, used);
        Verdict d = decided.verdict();
        Effect effect = d.effect();
        boolean goesThrough = effect == Effect.ALLOW || effect == Effect.REQUIRE_APPROVAL && rc.approved();
        String blockedOn = null;
        if (goesThrough && !f.dryRun()) {
            List<Charge> charges = d.charges();
            blockedOn = charges.isEmpty() ? null : ledger.reserve(charges, f.at());
            if (blockedOn == null) {
                if (rc.counted()) {
                    for (Charge c : charges) {
                        add(charged, c.category(), c.amount(), 0);
                    }
                }
            } else {
                effect = Effect.DENY;
            }
        } else if (effect == Effect.DENY && f.costCategory() != null && d.budgetDenied()) {
            blockedOn = f.costCategory();
        }
        if (blockedOn == null) {
            return decided.plain();
        }
        if (rc.counted()) {
            add(blocked, blockedOn, 1, f.costEstimate() == null ? 0 : f.costEstimate());
        }
        return new Outcome(effect, d, blockedOn);
    }

    private Decided decide(CallFacts f, BudgetLedger.Meter meter, long used) {
        if (!memoize) {
            return decided(engine.decide(f, states(f, meter, used)));
        }
        Key k = Key.of(f, used);
        Decided d = memo.get(k);
        if (d == null) {
            d = decided(engine.decide(f, states(f, meter, used)));
            if (memo.size() >= MEMO_LIMIT) {
                memo.clear();
            }
            memo.put(k, d);
        }
        return d;
    }

    /** What the live path hands the rules: the state of the call's own cost category, when the pack caps it. */
    private static List<BudgetState> states(CallFacts f, BudgetLedger.Meter meter, long used) {
        return meter == null ? List.of()
            : List.of(new BudgetState(f.costCategory(), meter.period, meter.cap, used, meter.windowEnd()));
    }

    /** The shared entry for a decision's verdict. */
    private Decided decided(Decision d) {
        Decided e = byInstance.get(d);
        if (e != null) {
            return e;
        }
        Verdict v = Verdict.of(d);
        e = verdicts.get(v);
        if (e == null) {
            if (verdicts.size() >= MEMO_LIMIT) {
                verdicts.clear();
            }
            e = new Decided(v);
            verdicts.put(v, e);
        }
        if (byInstance.size() >= 256) {
            byInstance.clear();
        }
        byInstance.put(d, e);
        return e;
    }

    private static void add(Map<String, long[]> m, String category, long a, long b) {
        long[] v = m.computeIfAbsent(category, k -> new long[2]);
        v[0] += a;
        v[1] += b;
    }

    /** Units charged per category by counted calls that went through. */
    Map<String, long[]> charged() {
        return charged;
    }

    /** Per category: [calls blocked for budget, units they asked for]. */
    Map<String, long[]> blocked() {
        return blocked;
    }

    /** The cap of a category in this side's pack, or {@code null}. */
    Long cap(String category) {
        var spec = engine.pack().budgets().get(category);
        return spec == null ? null : spec.cap();
    }

}
