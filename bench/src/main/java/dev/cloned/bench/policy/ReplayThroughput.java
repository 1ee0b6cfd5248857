package dev.cloned.bench.policy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.rules.BudgetPeriod;
import dev.cloned.rules.BudgetState;
import dev.cloned.rules.CallFacts;
import dev.cloned.rules.Decision;
import dev.cloned.rules.PolicyEngine;
import dev.cloned.rules.Policies;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.rules.json.FactsJson;
import dev.cloned.rules.pack.PackLoader;
import dev.cloned.rules.pack.PolicyPack;
import dev.cloned.rules.simulate.AuditRecords;
import dev.cloned.rules.simulate.RecordedCall;
import dev.cloned.rules.simulate.SimulationReport;
import dev.cloned.rules.simulate.Simulator;
import dev.cloned.runtime.audit.AuditEntries;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Replay throughput of {@code cloned policy simulate} with the built-in personal pack: recorded audit lines (the real
 * entry shape, written by {@link AuditEntries}) are parsed and replayed through the baseline and a candidate (the
 * personal pack plus overlay data), budget windows included. Usage: {@code ReplayThroughput [decisions] [rounds]}.
 * The first variant is the path {@code cloned policy simulate} takes (batch read, parallel replay).
 */
public final class ReplayThroughput {
    private ReplayThroughput() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        PolicyPack personal = PackLoader.builtIn("personal");
        PolicyEngine baseline = Policies.compile(personal, null, Clock.systemUTC());
        PolicyPack cand = PackLoader.withOverlayData(personal, PackLoader.readYaml(
            "budgets:\n  api_requests: {period: month, cap: 20000}\nallowlists:\n  egress_domains: [api.example.com]\n",
            "bench-candidate"), "bench-candidate");
        PolicyEngine candidate = Policies.compile(cand, null, Clock.systemUTC());
        List<String> lines = record(baseline, n);
        System.out.printf("%d recorded decision lines, avg %d chars; %d cores%n", lines.size(),
            lines.stream().mapToInt(String::length).sum() / lines.size(), Runtime.getRuntime().availableProcessors());

        measure("parse + replay (memoized, parallel)", lines, baseline, candidate,
            Simulator.Options.defaults(), true, rounds);
        measure("parse line by line + replay (memoized, parallel)", lines, baseline, candidate,
            Simulator.Options.defaults(), false, rounds);
        measure("parse + replay (memoized, serial)", lines, baseline, candidate,
            Simulator.Options.defaults().withParallel(false), false, rounds);
        measure("parse + replay (no memo, parallel)", lines, baseline, candidate,
            Simulator.Options.defaults().withMemoize(false), true, Math.min(rounds, 3));
        measure("parse + replay (no memo, serial)", lines, baseline, candidate,
            Simulator.Options.defaults().withMemoize(false).withParallel(false), false, Math.min(rounds, 3));
    }

    /**
     * Times reading every line and replaying the calls, as {@code cloned policy simulate} does: with {@code batch},
     * lines are read with {@link AuditRecords#parseAll} (what the command uses; several threads), else one by one with
     * {@link AuditRecords#parse} on this thread. Prints wall-clock throughput, and the process CPU time and GC time per
     * decision (less sensitive to other work on the machine than the wall clock).
     */
    private static void measure(String what, List<String> lines, PolicyEngine baseline, PolicyEngine candidate,
                                Simulator.Options options, boolean batch, int rounds) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double best = 0;
        SimulationReport last = null;
        for (int r = 0; r < rounds + 1; r++) {
            long gc0 = gcMillis();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            List<RecordedCall> calls;
            if (batch) {
                calls = AuditRecords.parseAll(lines);
            } else {
                calls = new ArrayList<>(lines.size());
                for (String l : lines) {
                    RecordedCall c = AuditRecords.parse(l);
                    if (c != null) {
                        calls.add(c);
                    }
                }
            }
            last = new Simulator(baseline, candidate, options).run(calls);
            double secs = (System.nanoTime() - t0) / 1e9;
            double cpu = (os.getProcessCpuTime() - cpu0) / 1e3 / lines.size();
            double rate = lines.size() / secs;
            if (r > 0) { // round 0 warms the JIT
                best = Math.max(best, rate);
            }
            System.out.printf("  %-50s round %d: %,.0f decisions/s (%.2f s; cpu %.1f us/decision; gc %d ms)%n", what, r,
                rate, secs, cpu, gcMillis() - gc0);
        }
        System.out.printf("%s: best %,.0f recorded decisions/s (changed %d of %d)%n%n", what, best, last.changed(),
            last.replayed());
    }

    private static long gcMillis() {
        long t = 0;
        for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) {
            t += Math.max(0, g.getCollectionTime());
        }
        return t;
    }

    /** Audit lines for {@code n} decisions over three months: a mix of free, metered, egress and high-risk calls. */
    static List<String> record(PolicyEngine engine, int n) {
        Random rnd = new Random(42);
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        long step = Duration.ofDays(90).toMillis() / n;
        String[] hosts = {"api.duckduckgo.com", "html.duckduckgo.com", "api.search.brave.com", "api.example.com",
            "evil.example"};
        List<String> out = new ArrayList<>(n);
        long used = 0;
        Instant window = BudgetPeriod.MONTH.windowStart(start);
        for (int i = 0; i < n; i++) {
            Instant at = start.plusMillis(i * step);
            if (!BudgetPeriod.MONTH.windowStart(at).equals(window)) {
                window = BudgetPeriod.MONTH.windowStart(at);
                used = 0;
            }
            int k = rnd.nextInt(100);
            CallFacts f;
            if (k < 30) {
                f = facts("cloned.internal.echo@v1", "cloned.internal", "util.echo", "low", null, null, null, at);
            } else if (k < 55) {
                f = facts("cloned.internal.fetch@v1", "cloned.internal", "web.fetch", "low", "api_requests", 1L,
                    rnd.nextBoolean() ? "localhost" : "api.example.com", at);
            } else if (k < 75) {
                f = facts("cloned.internal.meter@v1", "cloned.internal", "util.meter", "low", "api_requests",
                    (long) (1 + rnd.nextInt(5)), null, at);
            } else if (k < 95) {
                f = facts("cloned.mcp.web.search@v1", "connector.web.search", "web.search", "low", "api_requests", 1L,
                    hosts[rnd.nextInt(hosts.length)], at);
            } else {
                f = facts("cloned.internal.artifact.write@v1", "cloned.internal", "artifact.write", "high", null, null,
                    null, at);
            }
            List<BudgetState> states = f.costCategory() == null ? List.of() : List.of(new BudgetState("api_requests",
                BudgetPeriod.MONTH, 10000, used, BudgetPeriod.MONTH.windowEnd(at)));
            Decision d = engine.decide(f, states);
            if (d.effect() == dev.cloned.rules.Effect.ALLOW && f.costEstimate() != null) {
                used += f.costEstimate();
            }
            out.add(line(i + 1, f, d));
        }
        return out;
    }

    private static CallFacts facts(String tool, String connector, String cap, String risk, String cat, Long cost,
                                   String host, Instant at) {
        return new CallFacts(tool, true, connector, "cloned.official", List.of(cap), risk, cat, cost, host, "agent:bench",
            at, false);
    }

    private static String line(long seq, CallFacts f, Decision d) {
        ObjectNode e = AuditEntries.base("decision", f.at(), f.actor(), "ws_bench");
        int at = f.toolId().indexOf('@');
        e.put("call_id", "call_" + seq);
        e.put("tool_id", f.toolId().substring(0, at));
        e.put("tool_version", f.toolId().substring(at + 1));
        e.put("input_hash", CanonicalJson.sha256("in" + seq));
        e.put("payload_hash", CanonicalJson.sha256("pl" + seq));
        e.set("policy_decision", AuditEntries.decision(d));
        e.set("costs", AuditEntries.costs(d.charges()));
        e.put("outcome", d.effect() == dev.cloned.rules.Effect.ALLOW ? "success" : "blocked");
        e.put("dry_run", false);
        e.set("facts", FactsJson.write(f));
        e.put("seq", seq);
        e.put("prev_hash", CanonicalJson.sha256("p" + seq));
        e.put("hash", CanonicalJson.sha256("h" + seq));
        return CanonicalJson.write(e);
    }
}
