package dev.cloned.graph;

import java.util.Objects;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * What one use costs, in units of a budget category (e.g. {@code api_requests}); the estimate may be unknown,
 * which the policy packs treat as "needs approval".
 */
public record CostModel(String category, OptionalDouble estimate) {
    private static final Pattern CATEGORY = Pattern.compile("^[a-z][a-z0-9_]*$");

    public CostModel {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(estimate, "estimate");
        if (!CATEGORY.matcher(category).matches()) {
            throw new IllegalArgumentException("cost category must be snake_case, got: '" + category + "'");
        }
        if (estimate.isPresent() && (estimate.getAsDouble() < 0 || Double.isNaN(estimate.getAsDouble()))) {
            throw new IllegalArgumentException("cost estimate must be >= 0, got: " + estimate.getAsDouble());
        }
    }

    /** A known cost of {@code units} per use. */
    public static CostModel of(String category, double units) {
        return new CostModel(category, OptionalDouble.of(units));
    }

    /** A cost that nobody can estimate in advance. */
    public static CostModel unknown(String category) {
        return new CostModel(category, OptionalDouble.empty());
    }

    /** True when the estimate is unknown. */
    public boolean isUnknown() {
        return estimate.isEmpty();
    }
}
