package dev.cloned.bench;

import dev.cloned.rules.BudgetPeriod;
import dev.cloned.rules.BudgetState;
import dev.cloned.rules.CallFacts;
import dev.cloned.rules.Decision;
import dev.cloned.rules.PolicyEngine;
import dev.cloned.rules.Policies;
import dev.cloned.rules.pack.PackLoader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Decision latency of the built-in personal pack, sampled so JMH reports p50/p99. Run: {@code bench/run.sh decision}.
 * The {@code evaluated*} cases run the rules every time: each call has another actor (65,536 of them, more than the
 * engine memoizes), so the decision memo never hits. {@code memoized*} repeats one call, as agents repeating a call do.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecisionBench {
    private static final Instant AT = Instant.parse("2026-06-01T12:00:00Z");
    private static final int ACTORS = 1 << 16;
    private PolicyEngine engine;
    private CallFacts[] echo;
    private CallFacts[] fetchDenied;
    private CallFacts[] metered;
    private List<BudgetState> budgets;
    private int next;

    @Setup
    public void setup() {
        engine = Policies.compile(PackLoader.builtIn("personal"), null, Clock.systemUTC());
        echo = new CallFacts[ACTORS];
        fetchDenied = new CallFacts[ACTORS];
        metered = new CallFacts[ACTORS];
        for (int i = 0; i < ACTORS; i++) {
            String actor = "bench-" + i;
            echo[i] = new CallFacts("cloned.internal.echo@v1", true, "cloned.internal", "cloned.official",
                List.of("util.echo"), "low", null, null, null, actor, AT, false);
            fetchDenied[i] = new CallFacts("cloned.internal.fetch@v1", true, "cloned.internal", "cloned.official",
                List.of("web.fetch"), "low", "api_requests", 1L, "example.org", actor, AT, false);
            metered[i] = new CallFacts("cloned.internal.meter@v1", true, "cloned.internal", "cloned.official",
                List.of("util.meter"), "low", "api_requests", 1L, null, actor, AT, false);
        }
        budgets = List.of(new BudgetState("api_requests", BudgetPeriod.MONTH, 10_000, 42, BudgetPeriod.MONTH.windowEnd(AT)));
    }

    private int nextActor() {
        next = (next + 1) & (ACTORS - 1);
        return next;
    }

    @Benchmark
    public Decision evaluatedFreeTool() {
        return engine.decide(echo[nextActor()], List.of());
    }

    @Benchmark
    public Decision evaluatedEgressDenied() {
        return engine.decide(fetchDenied[nextActor()], budgets);
    }

    @Benchmark
    public Decision evaluatedMeteredWithBudget() {
        return engine.decide(metered[nextActor()], budgets);
    }

    @Benchmark
    public Decision memoizedFreeTool() {
        return engine.decide(echo[0], List.of());
    }
}
