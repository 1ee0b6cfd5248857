package dev.cloned.graph;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A user's goal, normalised for keyword matching: lower case, words only. A goal phrase matches when its words
 * appear consecutively, each word also matching its plural with a trailing {@code s}.
 */
public record GoalText(String text) {
    public GoalText {
        Objects.requireNonNull(text, "goal text");
    }

    /** True when the phrase (e.g. {@code case law}) appears in the goal. */
    public boolean mentions(String phrase) {
        return mentions(words(text), phrase);
    }

    /** The phrases among {@code phrases} that the goal mentions, in their given order. */
    public List<String> mentioned(List<String> phrases) {
        List<String> words = words(text);
        return phrases.stream().filter(phrase -> mentions(words, phrase)).toList();
    }

    private static boolean mentions(List<String> words, String phrase) {
        List<String> wanted = words(phrase);
        if (wanted.isEmpty()) {
            return false;
        }
        for (int start = 0; start + wanted.size() <= words.size(); start++) {
            if (matchesAt(words, start, wanted)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesAt(List<String> words, int start, List<String> wanted) {
        for (int i = 0; i < wanted.size(); i++) {
            String word = words.get(start + i);
            String w = wanted.get(i);
            if (!word.equals(w) && !word.equals(w + "s")) {
                return false;
            }
        }
        return true;
    }

    private static List<String> words(String value) {
        String normalised = value.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").trim();
        return normalised.isEmpty() ? List.of() : Arrays.asList(normalised.split(" "));
    }
}
