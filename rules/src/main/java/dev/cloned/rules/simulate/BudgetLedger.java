package dev.cloned.rules.simulate;

import dev.cloned.rules.BudgetPeriod;
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
    /**
     * One capped category, with the window the last call in it fell into: calls are replayed in time order, so most
     * calls land in the same window and skip the calendar arithmetic.
     */
    static final class Meter {
        final String category;
        final BudgetPeriod period;
        final long cap;
        private Instant start;
        private Instant end;
        private long[] usage;

        private Meter(String category, BudgetPeriod period, long cap) {
            this.category = category;
            this.period = period;
            this.cap = cap;
        }

        /** End (exclusive) of the window of the last {@link BudgetLedger#usage} call. */
        Instant windowEnd() {
            return end;
        }
    }

    private record Window(String category, Instant start) {
    }

    private final Map<String, Meter> meters = new HashMap<>();
    private final Map<Window, long[]> used = new HashMap<>();
    private final UsageSeed seed;

    BudgetLedger(PolicyPack pack, UsageSeed seed) {
        pack.budgets().forEach((k, v) -> meters.put(k, new Meter(k, BudgetPeriod.fromWire(v.period()), v.cap())));
        this.seed = seed;
    }

    /** The meter of {@code category} when the pack caps it, else {@code null}. */
    Meter meter(String category) {
        return category == null ? null : meters.get(category);
    }

    /** Usage (one cell) of the meter's window that contains {@code at}; the meter then points at that window. */
    long[] usage(Meter m, Instant at) {
        if (m.start == null || at.isBefore(m.start) || !at.isBefore(m.end)) {
            Instant start = m.period.windowStart(at);
            m.start = start;
            m.end = m.period.windowEnd(at);
            m.usage = used.computeIfAbsent(new Window(m.category, start),
                w -> new long[] {seed.used(w.category, w.start)});
        }
        return m.usage;
    }

    /**
     * Reserves every capped charge or none, as the live store does (usage + amount must stay within the cap).
     *
     * @return the category that did not fit, or {@code null} when everything was reserved
     */
    String reserve(List<Charge> charges, Instant at) {
        if (charges.size() == 1) {
            Charge ch = charges.get(0);
            Meter m = meters.get(ch.category());
            if (m == null || ch.amount() == 0) {
                return null;
            }
            long[] u = usage(m, at);
            if (u[0] + ch.amount() > m.cap) {
                return ch.category();
            }
            u[0] += ch.amount();
            return null;
        }
        List<long[]> done = new ArrayList<>(charges.size());
        List<Long> amounts = new ArrayList<>(charges.size());
        for (Charge ch : charges) {
            Meter m = meters.get(ch.category());
            if (m == null || ch.amount() == 0) {
                continue;
            }
            long[] u = usage(m, at);
            if (u[0] + ch.amount() > m.cap) {
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
        return meters.containsKey(category);
    }
}
