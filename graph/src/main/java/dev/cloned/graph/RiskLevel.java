package dev.cloned.graph;

import java.util.Locale;

/** How much harm a capability or tool can do; drives approvals in the policy packs. */
public enum RiskLevel {
    /** Reads or local writes with no outside effect. */
    LOW,
    /** Writes outside the workspace that are easy to undo. */
    MEDIUM,
    /** Publishing or changes that are hard to undo. */
    HIGH;

    /** Parses the wire form ({@code low}, {@code medium}, {@code high}). */
    public static RiskLevel parse(String wire) {
        try {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("risk level must be low, medium or high, got: " + wire, e);
        }
    }

    /** The wire form, e.g. {@code high}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
