package dev.cloned.rules.simulate;

import dev.cloned.rules.BudgetState;
import dev.cloned.rules.CallFacts;
import dev.cloned.rules.Decision;
import dev.cloned.rules.Effect;
import dev.cloned.rules.PolicyEngine;
import dev.cloned.rules.Reason;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Replays calls in order through one engine, as the live path would: decide with the budget state of the call's
 * window, then reserve the charges of calls that go through (all or none, within the cap). Identical inputs are
 * decided once: the engine is deterministic and the rules see neither the time nor the window end, so a decision for
 * the same facts and the same budget usage is reused.
 */
final class ReplaySide {
    private static final int MEMO_LIMIT = 1 << 16;

    /** The outcome of one call on this side. */
    record Outcome(Effect effect, Decision decision, String blockedCategory) {
    }

    private record Key(CallFacts facts, List<BudgetState> budgets) {
    }

    private final PolicyEngine engine;
    private final BudgetLedger ledger;
    private final boolean memoize;
    private final Map<Key, Decision> memo = new HashMap<>();
    private final Map<String, long[]> charged = new TreeMap<>();
    private final Map<String, long[]> blocked = new TreeMap<>();

    ReplaySide(PolicyEngine engine, UsageSeed seed, boolean memoize) {
        this.engine = engine;
        this.ledger = new BudgetLedger(engine.pack(), seed);
        this.memoize = memoize;
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

    Outcome replay(RecordedCall rc) {
        CallFacts f = rc.facts();
        List<BudgetState> states = ledger.states(f);
        Decision d = decide(f, states);
        Effect effect = d.effect();
        boolean goesThrough = effect == Effect.ALLOW || effect == Effect.REQUIRE_APPROVAL && rc.approved();
        String blockedOn = null;
        if (goesThrough && !f.dryRun()) {
            blockedOn = ledger.reserve(d.charges(), f.at());
            if (blockedOn == null) {
                if (rc.counted()) {
                    d.charges().forEach(c -> add(charged, c.category(), c.amount(), 0));
                }
            } else {
                effect = Effect.DENY;
            }
        } else if (effect == Effect.DENY && f.costCategory() != null && budgetDenied(d)) {
            blockedOn = f.costCategory();
        }
        if (blockedOn != null && rc.counted()) {
            add(blocked, blockedOn, 1, f.costEstimate() == null ? 0 : f.costEstimate());
        }
        return new Outcome(effect, d, blockedOn);
    }

    private Decision decide(CallFacts f, List<BudgetState> states) {
        if (!memoize) {
            return engine.decide(f, states);
        }
        Key k = new Key(timeless(f), timeless(states));
        Decision d = memo.get(k);
        if (d == null) {
            d = engine.decide(f, states);
            if (memo.size() >= MEMO_LIMIT) {
                memo.clear();
            }
            memo.put(k, d);
        }
        return d;
    }

    private static CallFacts timeless(CallFacts f) {
        return new CallFacts(f.toolId(), f.registered(), f.connectorId(), f.publisherId(), f.capabilities(),
            f.riskLevel(), f.costCategory(), f.costEstimate(), f.egressHost(), f.actor(), Instant.EPOCH, f.dryRun());
    }

    private static List<BudgetState> timeless(List<BudgetState> states) {
        if (states.isEmpty()) {
            return states;
        }
        List<BudgetState> out = new ArrayList<>(states.size());
        for (BudgetState b : states) {
            out.add(new BudgetState(b.category(), b.period(), b.cap(), b.used(), Instant.EPOCH));
        }
        return out;
    }

    private static boolean budgetDenied(Decision d) {
        for (Reason r : d.reasons()) {
            if (r.effect() == Effect.DENY && r.code().equals("budget_exceeded")) {
                return true;
            }
        }
        return false;
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
