package dev.cloned.gateway.onboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.rules.Decision;

import java.util.Locale;
import java.util.Objects;

/**
 * One setup step of a plan: a local action (no tool, nothing for policy to decide) or a call to a built-in tool that
 * the policy engine decided during pre-flight. Only steps the engine allows without approval are run.
 *
 * @param id stable id within the plan, e.g. {@code connector.register:connector.web.search}
 * @param kind {@code plans.dir}, {@code policy.pack}, {@code connector.register} or {@code egress.allow}
 * @param title what the step does, for people
 * @param toolId the tool the step calls, or {@code null} for a local step
 * @param input the tool input, or {@code null}
 * @param decision the pre-flight decision, or {@code null} for a local step
 * @param note what happens instead when the step is not run (a command to run, or why nothing is needed)
 */
public record SetupStep(String id, String kind, String title, String toolId, JsonNode input, Decision decision,
                        String note) {
    /** What onboarding will do with a step. */
    public enum Status {
        /** A local step (or a check) that needs no policy decision. */
        LOCAL,
        /** Allowed without approval: onboarding runs it. */
        WILL_RUN,
        /** The policy asks for an approval first: listed, not run. */
        NEEDS_APPROVAL,
        /** The policy denies it: listed, not run. */
        DENIED;

        /** Wire form, e.g. {@code needs_approval}. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public SetupStep {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(title, "title");
        if ((toolId == null) != (decision == null)) {
            throw new IllegalArgumentException("a tool step needs a decision, a local step has none: " + id);
        }
        note = note == null ? "" : note;
    }

    /** A step with no tool call. */
    static SetupStep local(String id, String kind, String title, String note) {
        return new SetupStep(id, kind, title, null, null, null, note);
    }

    /** What onboarding will do with this step. */
    public Status status() {
        if (decision == null) {
            return Status.LOCAL;
        }
        switch (decision.effect()) {
            case ALLOW:
                return Status.WILL_RUN;
            case REQUIRE_APPROVAL:
                return Status.NEEDS_APPROVAL;
            default:
                return Status.DENIED;
        }
    }
}
