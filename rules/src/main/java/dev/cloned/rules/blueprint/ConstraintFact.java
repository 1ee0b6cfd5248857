package dev.cloned.rules.blueprint;

import java.util.Locale;
import java.util.Set;

/** Fact for {@code selection.drl}: one user constraint, e.g. {@code max_monthly_budget=400} or {@code offline}. */
public final class ConstraintFact {
    private static final Set<String> TRUE = Set.of("true", "yes", "on", "1");

    private final String key;
    private final String value;

    /** A constraint fact. */
    public ConstraintFact(String key, String value) {
        this.key = key;
        this.value = value;
    }

    /** The key, e.g. {@code tier}. */
    public String getKey() {
        return key;
    }

    /** The raw value, e.g. {@code enterprise}. */
    public String getValue() {
        return value;
    }

    /** The part of the key after the first dot ({@code max_monthly_budget.storage} gives {@code storage}). */
    public String getSuffix() {
        int dot = key.indexOf('.');
        return dot < 0 ? "" : key.substring(dot + 1);
    }

    /** The value as a number, or {@code null} when it is not one. */
    public Double getNumber() {
        try {
            return Double.valueOf(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** True for a switched-on flag ({@code true}, {@code yes}, {@code on}, {@code 1}). */
    public boolean isEnabled() {
        return TRUE.contains(value.trim().toLowerCase(Locale.ROOT));
    }
}
