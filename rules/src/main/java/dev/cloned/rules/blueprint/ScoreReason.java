package dev.cloned.rules.blueprint;

import java.util.Objects;

/** Why a blueprint's score moved (or why it was excluded, with delta 0): the rule that fired and what it saw. */
public record ScoreReason(String rule, int delta, String message) {
    public ScoreReason {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(message, "message");
    }
}
