package dev.cloned.gateway.onboard;

import java.util.Objects;

/**
 * A blueprint's estimated monthly use of one budget category next to what the active pack allows.
 *
 * @param category budget category, e.g. {@code api_requests}
 * @param monthlyEstimate units per month the blueprint expects to use
 * @param cap the pack's cap for the category, or {@code null} when the pack caps nothing for it
 * @param period the cap's period ({@code month}, {@code day}, ...), or {@code null}
 * @param remaining units left in the current window, or {@code null}
 */
public record BudgetLine(String category, double monthlyEstimate, Long cap, String period, Long remaining) {
    public BudgetLine {
        Objects.requireNonNull(category, "category");
    }

    /** True when the monthly estimate exceeds a monthly cap. */
    public boolean overCap() {
        return cap != null && "month".equals(period) && monthlyEstimate > cap;
    }
}
