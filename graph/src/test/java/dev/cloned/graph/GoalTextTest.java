package dev.cloned.graph;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GoalTextTest {

    @Test
    void should_match_whole_words_and_plurals_when_goal_mentions_a_phrase() {
        GoalText goal = new GoalText("Write REPORTS about case-law, please");

        assertThat(goal.mentions("report")).isTrue();
        assertThat(goal.mentions("case law")).isTrue();
        assertThat(goal.mentions("law")).isTrue();
    }

    @Test
    void should_not_match_when_the_phrase_is_only_part_of_a_word() {
        GoalText goal = new GoalText("build a lawnmower app");

        assertThat(goal.mentions("law")).isFalse();
        assertThat(goal.mentions("app")).isTrue();
        assertThat(goal.mentions("")).isFalse();
    }

    @Test
    void should_keep_phrase_order_when_listing_mentioned_phrases() {
        assertThat(new GoalText("legal research on contracts").mentioned(
                java.util.List.of("research", "contract", "video", "legal")))
                .containsExactly("research", "contract", "legal");
    }
}
