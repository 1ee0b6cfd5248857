package dev.cloned.rules.simulate;

import dev.cloned.rules.Effect;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a candidate pack would have changed over a set of replayed calls, against the baseline pack replayed the same
 * way (same facts, same budget windows, each side with its own caps).
 *
 * @param baselineHash content hash of the baseline pack
 * @param candidateHash content hash of the candidate pack
 * @param replayed how many calls were replayed and counted
 * @param skippedDryRuns recorded dry runs left out (unless asked for)
 * @param changed how many decisions change effect
 * @param recordedMismatches counted calls whose recorded effect differs from the baseline replay (the active pack
 *                           changed since, or usage before the replayed range was not seen)
 * @param transitions changed decisions per transition, e.g. {@code allow->deny}
 * @param byTool transitions per tool id
 * @param byConnector transitions per connector id ({@code none} for unknown tools)
 * @param samples the first changed calls, with the rules that fired on each side
 * @param budgets budget impact per category
 */
public record SimulationReport(String baselineHash, String candidateHash, int replayed, int skippedDryRuns,
                               int changed, int recordedMismatches, Map<String, Integer> transitions,
                               Map<String, Map<String, Integer>> byTool, Map<String, Map<String, Integer>> byConnector,
                               List<ChangedCall> samples, List<BudgetImpact> budgets) {
    public SimulationReport {
        transitions = Map.copyOf(transitions);
        byTool = Map.copyOf(byTool);
        byConnector = Map.copyOf(byConnector);
        samples = List.copyOf(samples);
        budgets = List.copyOf(budgets);
    }

    /**
     * One call whose decision changes.
     *
     * @param seq audit sequence number (0 for hand-written calls)
     * @param callId recorded call id
     * @param toolId tool id with version
     * @param connectorId connector, or {@code null}
     * @param at when the call was made
     * @param from baseline effect
     * @param to candidate effect
     * @param fromCode baseline's decisive reason code
     * @param toCode candidate's decisive reason code
     * @param baselineRules rules fired on the baseline side, in order
     * @param candidateRules rules fired on the candidate side, in order
     */
    public record ChangedCall(long seq, String callId, String toolId, String connectorId, Instant at, Effect from,
                              Effect to, String fromCode, String toCode, List<String> baselineRules,
                              List<String> candidateRules) {
        public ChangedCall {
            baselineRules = List.copyOf(baselineRules);
            candidateRules = List.copyOf(candidateRules);
        }

        /** e.g. {@code allow->deny}. */
        public String transition() {
            return SimulationReport.transition(from, to);
        }
    }

    /**
     * Budget impact of one category: what each side charged (units reserved by calls that went through) and blocked
     * (calls denied for lack of budget, and the units they asked for).
     *
     * @param category budget category
     * @param baselineCap the baseline pack's cap, or {@code null} when it caps nothing here
     * @param candidateCap the candidate pack's cap, or {@code null}
     * @param baselineCharged units the baseline side charged
     * @param candidateCharged units the candidate side charged
     * @param baselineBlocked calls the baseline side blocked for budget
     * @param candidateBlocked calls the candidate side blocked for budget
     * @param baselineBlockedUnits units those baseline-blocked calls asked for
     * @param candidateBlockedUnits units those candidate-blocked calls asked for
     */
    public record BudgetImpact(String category, Long baselineCap, Long candidateCap, long baselineCharged,
                               long candidateCharged, int baselineBlocked, int candidateBlocked,
                               long baselineBlockedUnits, long candidateBlockedUnits) {
    }

    private static final String[][] TRANSITIONS = new String[Effect.values().length][Effect.values().length];

    static {
        for (Effect from : Effect.values()) {
            for (Effect to : Effect.values()) {
                TRANSITIONS[from.ordinal()][to.ordinal()] = from.wire() + "->" + to.wire();
            }
        }
    }

    /** The label of a transition, e.g. {@code allow->require_approval}. */
    public static String transition(Effect from, Effect to) {
        return TRANSITIONS[from.ordinal()][to.ordinal()];
    }
}
