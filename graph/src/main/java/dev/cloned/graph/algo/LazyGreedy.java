package dev.cloned.graph.algo;

import java.util.Collection;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Lazy greedy selection: candidates sit in a priority queue keyed by a gain that can only shrink as capabilities
 * get covered. The head is re-counted; if it still beats the next key it is the true best, else it goes back.
 * Keys order by gain (high first), then preferred, then id, so the pick equals eager greedy's and is deterministic.
 */
final class LazyGreedy {
    private record Candidate(String id, int gain, boolean preferred) {
    }

    private static final Comparator<Candidate> BEST_FIRST = Comparator.comparingInt((Candidate c) -> -c.gain())
            .thenComparing(c -> !c.preferred())
            .thenComparing(Candidate::id);

    private final PriorityQueue<Candidate> queue = new PriorityQueue<>(BEST_FIRST);
    private final ToIntFunction<String> gain;

    LazyGreedy(Collection<String> candidates, ToIntFunction<String> gain, Set<String> preferred) {
        this.gain = gain;
        for (String id : candidates) {
            int initial = gain.applyAsInt(id);
            if (initial > 0) {
                queue.add(new Candidate(id, initial, preferred.contains(id)));
            }
        }
    }

    /** The next best candidate with a positive gain, or {@code null} when none is left. */
    String next() {
        while (!queue.isEmpty()) {
            Candidate head = queue.poll();
            int current = gain.applyAsInt(head.id());
            if (current <= 0) {
                continue;
            }
            Candidate updated = new Candidate(head.id(), current, head.preferred());
            if (queue.isEmpty() || BEST_FIRST.compare(updated, queue.peek()) <= 0) {
                return head.id();
            }
            queue.add(updated);
        }
        return null;
    }
}
