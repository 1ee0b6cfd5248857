package dev.cloned.rules.testing;

import dev.cloned.rules.Decision;

import java.util.List;

/**
 * The result of running a pack's tests: each case's outcome, and the rules no case exercised (which fail the run).
 */
public record PolicyTestReport(List<CaseResult> results, List<String> uncoveredRules) {
    public PolicyTestReport {
        results = List.copyOf(results);
        uncoveredRules = List.copyOf(uncoveredRules);
    }

    /** One case's outcome; {@code failures} is empty when it passed. */
    public record CaseResult(PolicyTestCase testCase, Decision decision, List<String> failures) {
        public boolean passed() {
            return failures.isEmpty();
        }
    }

    public long passed() {
        return results.stream().filter(CaseResult::passed).count();
    }

    /** Failed cases, plus one failure per rule without a case. */
    public long failed() {
        return results.size() - passed() + uncoveredRules.size();
    }

    public boolean ok() {
        return failed() == 0;
    }

    /** The closing line, {@code N passed, N failed}. */
    public String summary() {
        return passed() + " passed, " + failed() + " failed";
    }
}
