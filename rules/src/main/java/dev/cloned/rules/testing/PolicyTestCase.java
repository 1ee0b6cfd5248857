package dev.cloned.rules.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.rules.BudgetState;
import dev.cloned.rules.CallFacts;
import dev.cloned.rules.Effect;

import java.util.List;

/**
 * One policy test: the facts of a call and the budget state, and what the pack must decide.
 *
 * @param name a human-readable note
 * @param file the test file it comes from
 * @param facts the call
 * @param budgets budget state in the call's window
 * @param expectEffect the expected effect
 * @param expectReasons reason codes that must all be present
 * @param expectRules rule names that must all have fired
 * @param with overlay data applied to the pack for this case only (like {@code opa test ... with}), or null
 */
public record PolicyTestCase(String name, String file, CallFacts facts, List<BudgetState> budgets, Effect expectEffect,
                             List<String> expectReasons, List<String> expectRules, JsonNode with) {
    public PolicyTestCase {
        budgets = List.copyOf(budgets);
        expectReasons = List.copyOf(expectReasons);
        expectRules = List.copyOf(expectRules);
    }
}
