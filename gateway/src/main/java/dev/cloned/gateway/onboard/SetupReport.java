package dev.cloned.gateway.onboard;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What onboarding did after writing a plan: where the plan is, and the outcome of each setup step.
 *
 * @param planFile the written Plan of Record
 * @param steps one outcome per setup step, in plan order
 */
public record SetupReport(Path planFile, List<StepOutcome> steps) {
    public SetupReport {
        Objects.requireNonNull(planFile, "planFile");
        steps = List.copyOf(steps);
    }

    /**
     * The outcome of one setup step.
     *
     * @param stepId the step's id in the plan
     * @param outcome {@code done}, {@code checked}, {@code waiting_for_approval}, {@code denied} or {@code failed}
     * @param detail what happened, for people
     * @param callId the governed call that ran the step, or {@code null}
     */
    public record StepOutcome(String stepId, String outcome, String detail, String callId) {
        public StepOutcome {
            Objects.requireNonNull(stepId, "stepId");
            Objects.requireNonNull(outcome, "outcome");
            detail = detail == null ? "" : detail;
        }
    }
}
