package dev.cloned.rules.simulate;

import dev.cloned.rules.BudgetPeriod;
import dev.cloned.rules.Effect;
import dev.cloned.rules.PolicyEngine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Replays calls through a baseline and a candidate engine and reports every decision that would change, with budget
 * impact. Both sides are the same compiled engines live calls use; each side replays budget windows in order with its
 * own caps, so the two are comparable. The two sides are independent, and so are the calls of one side in different
 * budget windows: when asked, the replay runs those parts on several threads (up to the processors), which gives the
 * same report as replaying in order.
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
     * @param parallel replay on several threads: the two sides, and the parts of each side in different budget windows
     * @param seed budget usage each window starts from
     */
    public record Options(boolean includeDryRuns, int sampleSize, boolean memoize, boolean parallel, UsageSeed seed) {
        public Options {
            if (sampleSize < 0) {
                throw new IllegalArgumentException("sampleSize must be >= 0");
            }
            seed = seed == null ? UsageSeed.ZERO : seed;
        }

        /** Defaults: no dry runs, 20 samples, memoized, parallel, budgets from zero. */
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
        int n = replayed.size();
        ReplaySide.Outcome[] b = new ReplaySide.Outcome[n];
        ReplaySide.Outcome[] c = new ReplaySide.Outcome[n];
        List<Part> parts = new ArrayList<>();
        if (options.parallel()) {
            parts.addAll(split(baseline, false, replayed, b));
            parts.addAll(split(candidate, true, replayed, c));
        } else {
            parts.add(Part.whole(baseline, false, n, b));
            parts.add(Part.whole(candidate, true, n, c));
        }
        run(parts, replayed);
        return compare(replayed, b, c, skipped, sum(parts, baseline, false), sum(parts, candidate, true));
    }

    /**
     * A part of one side's calls that replays on its own: its calls (positions in the replayed list, in order) touch
     * only budget windows no other part touches, so its own ledger starts where the whole replay would be.
     */
    static final class Part {
        final PolicyEngine engine;
        final boolean candidate;
        final int[] indices;
        int count;
        final ReplaySide.Outcome[] out;
        ReplaySide side;

        Part(PolicyEngine engine, boolean candidate, int capacity, ReplaySide.Outcome[] out) {
            this.engine = engine;
            this.candidate = candidate;
            this.indices = new int[capacity];
            this.out = out;
        }

        static Part whole(PolicyEngine engine, boolean candidate, int n, ReplaySide.Outcome[] out) {
            Part p = new Part(engine, candidate, n, out);
            for (int i = 0; i < n; i++) {
                p.indices[i] = i;
            }
            p.count = n;
            return p;
        }
    }

    /**
     * Splits one side's calls at boundaries that no budget window of its pack crosses: the windows of the coarsest
     * capped period, when every other capped period nests in it (hour in day in week or month; week and month do not
     * nest, so a pack with both is not split). Calls keep their order within a part.
     */
    static List<Part> split(PolicyEngine engine, boolean candidate, List<RecordedCall> calls,
                                    ReplaySide.Outcome[] out) {
        int n = calls.size();
        EnumSet<BudgetPeriod> periods = EnumSet.noneOf(BudgetPeriod.class);
        engine.pack().budgets().values().forEach(b -> periods.add(BudgetPeriod.fromWire(b.period())));
        BudgetPeriod coarsest = periods.isEmpty() ? null : Collections.max(periods);
        if (periods.contains(BudgetPeriod.WEEK) && periods.contains(BudgetPeriod.MONTH) || n < 2 * MIN_PART) {
            return List.of(Part.whole(engine, candidate, n, out));
        }
        if (coarsest == null) { // nothing is capped: calls are independent, any split will do
            List<Part> parts = new ArrayList<>();
            int size = Math.max(MIN_PART, (n + 7) / 8);
            for (int from = 0; from < n; from += size) {
                Part p = new Part(engine, candidate, Math.min(size, n - from), out);
                for (int i = from; i < from + p.indices.length; i++) {
                    p.indices[p.count++] = i;
                }
                parts.add(p);
            }
            return parts;
        }
        // The coarsest window of each call; calls come mostly in time order, so remember the last window.
        TreeMap<Instant, int[]> windows = new TreeMap<>(); // start -> [calls, part]
        int[][] windowOf = new int[n][];
        Instant start = null;
        Instant end = null;
        int[] w = null;
        for (int i = 0; i < n; i++) {
            Instant at = calls.get(i).facts().at();
            if (start == null || at.isBefore(start) || !at.isBefore(end)) {
                start = coarsest.windowStart(at);
                end = coarsest.windowEnd(at);
                w = windows.computeIfAbsent(start, k -> new int[2]);
            }
            w[0]++;
            windowOf[i] = w;
        }
        // Consecutive windows make one part until it holds enough calls.
        int target = Math.max(MIN_PART, n / 16);
        List<int[]> sizes = new ArrayList<>();
        int size = target;
        for (int[] window : windows.values()) {
            if (size >= target) {
                sizes.add(new int[1]);
                size = 0;
            }
            window[1] = sizes.size() - 1;
            sizes.get(window[1])[0] += window[0];
            size += window[0];
        }
        if (sizes.size() < 2) {
            return List.of(Part.whole(engine, candidate, n, out));
        }
        List<Part> parts = new ArrayList<>();
        for (int[] sz : sizes) {
            parts.add(new Part(engine, candidate, sz[0], out));
        }
        for (int i = 0; i < n; i++) {
            Part p = parts.get(windowOf[i][1]);
            p.indices[p.count++] = i;
        }
        return parts;
    }

    /** Fewer calls than this are not worth a part of their own. */
    private static final int MIN_PART = 512;

    /**
     * Replays the parts, each on a fresh {@link ReplaySide}: in order on this thread, or, when parallel, largest first
     * on {@link Workers}.
     */
    private void run(List<Part> parts, List<RecordedCall> calls) {
        if (!options.parallel()) {
            for (Part p : parts) {
                replay(p, calls);
            }
            return;
        }
        List<Part> order = new ArrayList<>(parts);
        order.sort(Comparator.comparingInt((Part p) -> p.count).reversed());
        Workers.run(order.size(), k -> replay(order.get(k), calls));
    }

    private void replay(Part p, List<RecordedCall> calls) {
        p.side = new ReplaySide(p.engine, options.seed(), options.memoize());
        p.side.replay(calls, p.indices, p.count, p.out);
    }

    /** What the parts of one side charged and blocked, added up. */
    private static Totals sum(List<Part> parts, PolicyEngine engine, boolean candidate) {
        Totals t = new Totals(engine);
        for (Part p : parts) {
            if (p.candidate == candidate) {
                p.side.charged().forEach((k, v) -> add(t.charged, k, v));
                p.side.blocked().forEach((k, v) -> add(t.blocked, k, v));
            }
        }
        return t;
    }

    private static void add(Map<String, long[]> into, String category, long[] v) {
        long[] t = into.computeIfAbsent(category, k -> new long[2]);
        t[0] += v[0];
        t[1] += v[1];
    }

    /** One side's budget totals: units charged, and [calls blocked, units they asked for], per category. */
    private record Totals(PolicyEngine engine, Map<String, long[]> charged, Map<String, long[]> blocked) {
        Totals(PolicyEngine engine) {
            this(engine, new HashMap<>(), new HashMap<>());
        }

        Long cap(String category) {
            var spec = engine.pack().budgets().get(category);
            return spec == null ? null : spec.cap();
        }
    }

    private SimulationReport compare(List<RecordedCall> calls, ReplaySide.Outcome[] b, ReplaySide.Outcome[] c,
                                     int skipped, Totals base, Totals cand) {
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
            rc.facts().at(), b.effect(), c.effect(), code(b), code(c), b.verdict().firedRules(),
            c.verdict().firedRules());
    }

    private static String code(ReplaySide.Outcome o) {
        ReplaySide.Verdict d = o.verdict();
        if (o.effect() != d.effect()) {
            return "budget_exceeded"; // the reservation failed after the rules allowed it
        }
        return d.primaryCode();
    }

    private static List<SimulationReport.BudgetImpact> budgets(Totals base, Totals cand) {
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
