package dev.cloned.rules;

/** An amount a call would charge against one budget category. */
public record Charge(String category, long amount) {
    public Charge {
        if (category == null || category.isBlank()) {
            throw new IllegalArgumentException("charge category is required");
        }
        if (amount < 0) {
            throw new IllegalArgumentException("charge amount must be >= 0, got " + amount);
        }
    }
}
