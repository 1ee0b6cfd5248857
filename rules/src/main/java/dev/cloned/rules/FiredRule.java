package dev.cloned.rules;

import java.util.List;

/**
 * One rule that fired while deciding, in firing order, with the file it comes from and a summary of the facts it matched.
 */
public record FiredRule(String name, String source, List<String> matched) {
    public FiredRule {
        matched = List.copyOf(matched);
    }
}
