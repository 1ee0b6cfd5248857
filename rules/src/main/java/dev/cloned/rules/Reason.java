package dev.cloned.rules;

import java.util.Objects;

/**
 * Why a rule pushed a decision one way: a stable {@code code}, a human message, the rule that said it
 * and the effect it asked for.
 */
public record Reason(String code, String message, String rule, Effect effect) {
    public Reason {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(effect, "effect");
    }
}
