package dev.cloned.rules.fact;

import dev.cloned.rules.BudgetState;

/** What is left of one budget category in the current window, as rules see it. */
public final class Budget {
    private final BudgetState state;

    public Budget(BudgetState state) {
        this.state = state;
    }

    public String getCategory() {
        return state.category();
    }

    public long getCap() {
        return state.cap();
    }

    public long getUsed() {
        return state.used();
    }

    public long getRemaining() {
        return state.remaining();
    }

    @Override
    public String toString() {
        return "Budget(" + state.category() + ": " + state.used() + "/" + state.cap() + ")";
    }
}
