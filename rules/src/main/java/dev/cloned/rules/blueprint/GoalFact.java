package dev.cloned.rules.blueprint;

import dev.cloned.graph.GoalText;

/** Fact for {@code selection.drl}: the user's goal, with the same phrase matching as the graph. */
public final class GoalFact {
    private final GoalText goal;

    /** A goal fact for the given text. */
    public GoalFact(String text) {
        this.goal = new GoalText(text);
    }

    /** The goal as the user typed it. */
    public String getText() {
        return goal.text();
    }

    /** True when the goal mentions the phrase (whole words, plurals allowed). */
    public boolean mentions(String phrase) {
        return goal.mentions(phrase);
    }
}
