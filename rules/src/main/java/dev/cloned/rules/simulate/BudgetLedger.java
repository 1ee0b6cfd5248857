package dev.cloned.rules.simulate;

import dev.cloned.rules.BudgetPeriod;
import dev.cloned.rules.BudgetState;
import dev.cloned.rules.CallFacts;
import dev.cloned.rules.Charge;
import dev.cloned.rules.pack.PolicyPack;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Budget usage for one side of a replay, kept per (category, window start) exactly as the live store keys it: a call
 * in a new window starts from that window's usage, so usage resets at each calendar boundary of the pack's period.
 * Caps and periods come from the side's own pack. Not thread-safe: one ledger per replay side.
 */
final class BudgetLedger {
    private record Cap(BudgetPeriod period, long cap) {
    }

    private record Window(String category, Instant start) {
    }

    private final Map<String, Cap> caps = new HashMap<>();
    private final Map<Window, long[]> used = new HashMap<>();
    private final UsageSeed seed;

    BudgetLedger(PolicyPack pack, UsageSeed seed) {
        pack.budgets().forEach((k, v) -> caps.put(k, new Cap(BudgetPeriod.fromWire(v.period()), v.cap())));
        this.seed = seed;
    }

    /** What the live path hands the rules: the state of the call's own cost category, when the pack caps it. */
    List<BudgetState> states(CallFacts f) {
        Cap c = f.costCategory() == null ? null : caps.get(f.costCategory());
        if (c == null) {
            return List.of();
        }
        Instant at = f.at();
        long u = slot(f.costCategory(), c.period.windowStart(at))[0];
        return List.of(new BudgetState(f.costCategory(), c.period, c.cap, u, c.period.windowEnd(at)));
    }

    /**
     * Reserves every capped charge or none, as the live store does (usage + amount must stay within the cap).
     *
     * @return the category that did not fit, or {@code null} when everything was reserved
     */
    String reserve(List<Charge> charges, Instant at) {
        List<long[]> done = new ArrayList<>(charges.size());
        List<Long> amounts = new ArrayList<>(charges.size());
        for (Charge ch : charges) {
            Cap c = caps.get(ch.category());
            if (c == null || ch.amount() == 0) {
                continue;
            }
            long[] u = slot(ch.category(), c.period.windowStart(at));
            if (u[0] + ch.amount() > c.cap) {
                for (int i = 0; i < done.size(); i++) {
                    done.get(i)[0] -= amounts.get(i);
                }
                return ch.category();
            }
            u[0] += ch.amount();
            done.add(u);
            amounts.add(ch.amount());
        }
        return null;
    }

    /** Whether the pack caps {@code category} (uncapped categories are charged but never tracked live). */
    boolean caps(String category) {
        return caps.containsKey(category);
    }

    private long[] slot(String category, Instant windowStart) {
        return used.computeIfAbsent(new Window(category, windowStart),
            w -> new long[] {seed.used(w.category, w.start)});
    }
}
