package dev.cloned.runtime.budget;

import dev.cloned.rules.BudgetPeriod;
import dev.cloned.rules.BudgetState;
import dev.cloned.rules.Charge;
import dev.cloned.rules.pack.PolicyPack;
import dev.cloned.runtime.store.Store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Budgets per category with a cap and a calendar-aligned UTC window. Reservations are atomic in the store, so N
 * concurrent calls against a cap C admit exactly C units.
 */
public final class Budgets {
    private final Store store;

    public Budgets(Store store) {
        this.store = store;
    }

    /** The state of every budget of the pack in the window containing {@code at}. */
    public List<BudgetState> states(PolicyPack pack, Instant at) {
        List<BudgetState> out = new ArrayList<>();
        for (Map.Entry<String, PolicyPack.BudgetSpec> e : pack.budgets().entrySet()) {
            out.add(state(e.getKey(), e.getValue(), at));
        }
        return out;
    }

    /** The state of one category, or empty when the pack caps nothing for it. */
    public Optional<BudgetState> state(PolicyPack pack, String category, Instant at) {
        PolicyPack.BudgetSpec spec = category == null ? null : pack.budgets().get(category);
        return spec == null ? Optional.empty() : Optional.of(state(category, spec, at));
    }

    private BudgetState state(String category, PolicyPack.BudgetSpec spec, Instant at) {
        BudgetPeriod p = BudgetPeriod.fromWire(spec.period());
        return new BudgetState(category, p, spec.cap(), store.used(category, p.windowStart(at)), p.windowEnd(at));
    }

    /**
     * Reserves every charge or none. Categories the pack does not cap are not tracked.
     *
     * @return the category that did not fit, or empty when everything was reserved
     */
    public Optional<String> reserve(PolicyPack pack, List<Charge> charges, Instant at) {
        List<Charge> done = new ArrayList<>();
        for (Charge c : charges) {
            PolicyPack.BudgetSpec spec = pack.budgets().get(c.category());
            if (spec == null || c.amount() == 0) {
                continue;
            }
            Instant start = BudgetPeriod.fromWire(spec.period()).windowStart(at);
            if (!store.tryReserve(c.category(), start, c.amount(), spec.cap())) {
                release(pack, done, at);
                return Optional.of(c.category());
            }
            done.add(c);
        }
        return Optional.empty();
    }

    /** Gives back charges reserved at {@code at} (a failed call, or an over-estimate). */
    public void release(PolicyPack pack, List<Charge> charges, Instant at) {
        for (Charge c : charges) {
            PolicyPack.BudgetSpec spec = pack.budgets().get(c.category());
            if (spec != null && c.amount() > 0) {
                store.release(c.category(), BudgetPeriod.fromWire(spec.period()).windowStart(at), c.amount());
            }
        }
    }
}
