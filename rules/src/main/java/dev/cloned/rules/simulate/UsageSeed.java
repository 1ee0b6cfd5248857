package dev.cloned.rules.simulate;

import java.time.Instant;

/** Budget usage a replay starts from, per category and window start (e.g. zero, or the live store's usage). */
@FunctionalInterface
public interface UsageSeed {
    /** Nothing used in any window. */
    UsageSeed ZERO = (category, windowStart) -> 0L;

    /** Units already used in the window of {@code category} starting at {@code windowStart}. */
    long used(String category, Instant windowStart);
}
