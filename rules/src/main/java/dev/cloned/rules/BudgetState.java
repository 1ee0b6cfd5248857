package dev.cloned.rules;

import java.time.Instant;

/** What is left of one budget category in the window a call falls into. */
public record BudgetState(String category, BudgetPeriod period, long cap, long used, Instant windowEnd) {
    public BudgetState {
        if (cap < 0 || used < 0) {
            throw new IllegalArgumentException("cap and used must be >= 0");
        }
    }

    /** Units still available in this window (never negative). */
    public long remaining() {
        return Math.max(0, cap - used);
    }
}
