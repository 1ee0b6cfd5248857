package dev.cloned.rules.simulate;

import dev.cloned.rules.Decision;
import dev.cloned.rules.Effect;
import dev.cloned.rules.PolicyEngine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Replays calls through a baseline and a candidate engine and reports every decision that would change, with budget
 * impact. Both sides are the same compiled engines live calls use; each side replays budget windows in order with its
 * own caps, so the two are comparable. The two sides are independent and run on two threads when asked.
 */
public final class Simulator {
    private final PolicyEngine baseline;
    private final PolicyEngine candidate;
    private final Options options;

    /**
     * How to replay.
     *
     * @param includeDryRuns replay recorded dry runs too (decided, never charged)
     * @param sampleSize how many changed calls to keep as samples
     * @param memoize reuse the decision for identical facts and budget usage (the engine is deterministic)
     * @param parallel replay the two sides on two threads
     * @param seed budget usage each window starts from
     */
    public record Options(boolean includeDryRuns, int sampleSize, boolean memoize, boolean parallel, UsageSeed seed) {
        public Options {
            if (sampleSize < 0) {
                throw new IllegalArgumentException("sampleSize must be >= 0");
            }
            seed = seed == null ? UsageSeed.ZERO : seed;
        }

        /** Defaults: no dry runs, 20 samples, memoized, two threads, budgets from zero. */
        public static Options defaults() {
            return new Options(false, 20, true, true, UsageSeed.ZERO);
        }

        public Options withSampleSize(int n) {
            return new Options(includeDryRuns, n, memoize, parallel, seed);
        }

        public Options withDryRuns(boolean include) {
            return new Options(include, sampleSize, memoize, parallel, seed);
        }

        public Options withSeed(UsageSeed s) {
            return new Options(includeDryRuns, sampleSize, memoize, parallel, s);
        }

        public Options withMemoize(boolean m) {
            return new Options(includeDryRuns, sampleSize, m, parallel, seed);
        }

        public Options withParallel(boolean p) {
            return new Options(includeDryRuns, sampleSize, memoize, p, seed);
        }
    }

    public Simulator(PolicyEngine baseline, PolicyEngine candidate, Options options) {
        this.baseline = baseline;
        this.candidate = candidate;
        this.options = options;
    }

    /** Replays {@code calls} (oldest first) and reports what the candidate changes. */
    public SimulationReport run(List<RecordedCall> calls) {
        List<RecordedCall> replayed = new ArrayList<>(calls.size());
        int skipped = 0;
        for (RecordedCall c : calls) {
            if (c.facts().dryRun() && !options.includeDryRuns()) {
                skipped += c.counted() ? 1 : 0;
            } else {
                replayed.add(c);
            }
        }
        ReplaySide base = new ReplaySide(baseline, options.seed(), options.memoize());
        ReplaySide cand = new ReplaySide(candidate, options.seed(), options.memoize());
        ReplaySide.Outcome[] b;
        ReplaySide.Outcome[] c;
        if (options.parallel()) {
            CompletableFuture<ReplaySide.Outcome[]> other = CompletableFuture.supplyAsync(() -> cand.replay(replayed));
            b = base.replay(replayed);
            try {
                c = other.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : e;
            }
        } else {
            b = base.replay(replayed);
            c = cand.replay(replayed);
        }
        return compare(replayed, b, c, skipped, base, cand);
    }

    private SimulationReport compare(List<RecordedCall> calls, ReplaySide.Outcome[] b, ReplaySide.Outcome[] c,
                                     int skipped, ReplaySide base, ReplaySide cand) {
        Map<String, Integer> transitions = new TreeMap<>();
        Map<String, Map<String, Integer>> byTool = new TreeMap<>();
        Map<String, Map<String, Integer>> byConnector = new TreeMap<>();
        List<SimulationReport.ChangedCall> samples = new ArrayList<>();
        int counted = 0;
        int changed = 0;
        int mismatches = 0;
        for (int i = 0; i < b.length; i++) {
            RecordedCall rc = calls.get(i);
            if (!rc.counted()) {
                continue;
            }
            counted++;
            if (rc.recorded() != null && effective(rc, b[i].effect()) != rc.recorded()) {
                mismatches++;
            }
            if (b[i].effect() == c[i].effect()) {
                continue;
            }
            changed++;
            String t = SimulationReport.transition(b[i].effect(), c[i].effect());
            transitions.merge(t, 1, Integer::sum);
            byTool.computeIfAbsent(rc.facts().toolId(), k -> new TreeMap<>()).merge(t, 1, Integer::sum);
            String conn = rc.facts().connectorId() == null ? "none" : rc.facts().connectorId();
            byConnector.computeIfAbsent(conn, k -> new TreeMap<>()).merge(t, 1, Integer::sum);
            if (samples.size() < options.sampleSize()) {
                samples.add(sample(rc, b[i], c[i]));
            }
        }
        return new SimulationReport(baseline.hash(), candidate.hash(), counted, skipped, changed, mismatches,
            transitions, byTool, byConnector, samples, budgets(base, cand));
    }

    /** A recorded call that went through on an approval is an allow, as the replay charges it. */
    private static Effect effective(RecordedCall rc, Effect replayed) {
        return replayed == Effect.REQUIRE_APPROVAL && rc.approved() ? Effect.ALLOW : replayed;
    }

    private static SimulationReport.ChangedCall sample(RecordedCall rc, ReplaySide.Outcome b, ReplaySide.Outcome c) {
        return new SimulationReport.ChangedCall(rc.seq(), rc.callId(), rc.facts().toolId(), rc.facts().connectorId(),
            rc.facts().at(), b.effect(), c.effect(), code(b), code(c), b.decision().firedRuleNames(),
            c.decision().firedRuleNames());
    }

    private static String code(ReplaySide.Outcome o) {
        Decision d = o.decision();
        if (o.effect() != d.effect()) {
            return "budget_exceeded"; // the reservation failed after the rules allowed it
        }
        return d.primaryCode();
    }

    private static List<SimulationReport.BudgetImpact> budgets(ReplaySide base, ReplaySide cand) {
        TreeSet<String> cats = new TreeSet<>();
        cats.addAll(base.engine().pack().budgets().keySet());
        cats.addAll(cand.engine().pack().budgets().keySet());
        cats.addAll(base.charged().keySet());
        cats.addAll(cand.charged().keySet());
        cats.addAll(base.blocked().keySet());
        cats.addAll(cand.blocked().keySet());
        List<SimulationReport.BudgetImpact> out = new ArrayList<>();
        for (String cat : cats) {
            long[] bc = base.charged().getOrDefault(cat, new long[2]);
            long[] cc = cand.charged().getOrDefault(cat, new long[2]);
            long[] bb = base.blocked().getOrDefault(cat, new long[2]);
            long[] cb = cand.blocked().getOrDefault(cat, new long[2]);
            out.add(new SimulationReport.BudgetImpact(cat, base.cap(cat), cand.cap(cat), bc[0], cc[0], (int) bb[0],
                (int) cb[0], bb[1], cb[1]));
        }
        return out;
    }
}
