package dev.cloned.rules.drools;

import dev.cloned.rules.BudgetPeriod;
import dev.cloned.rules.BudgetState;
import dev.cloned.rules.CallFacts;
import dev.cloned.rules.Decision;
import dev.cloned.rules.Effect;
import dev.cloned.rules.PolicyEngine;
import dev.cloned.rules.Policies;
import dev.cloned.rules.pack.PackLoader;
import dev.cloned.rules.pack.PolicyPack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Identical facts share one decision; anything a rule can see changes it; clock-reading packs are never memoized. */
class DecisionMemoTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    private static CallFacts echo(String actor, Instant at) {
        return new CallFacts("cloned.internal.echo@v1", true, "cloned.internal", "cloned.official", List.of(), "low",
            null, null, null, actor, at, false);
    }

    private static CallFacts meter(Instant at) {
        return new CallFacts("cloned.internal.meter@v1", true, "cloned.internal", "cloned.official", List.of(), "low",
            "api_requests", 1L, null, "test", at, false);
    }

    @Test
    void should_reuse_the_decision_when_only_the_time_differs() {
        PolicyEngine engine = Policies.compile(PackLoader.builtIn("personal"), null, Clock.systemUTC());
        Decision a = engine.decide(echo("a", T0), List.of());
        Decision b = engine.decide(echo("a", T0.plusSeconds(3600)), List.of());
        assertThat(b).isSameAs(a);
        Decision other = engine.decide(echo("b", T0), List.of()); // the actor is a fact rules can see
        assertThat(other).isNotSameAs(a);
        assertThat(other.effect()).isEqualTo(a.effect());
    }

    @Test
    void should_evaluate_metered_calls_every_time_since_usage_changes() {
        PolicyEngine engine = Policies.compile(PackLoader.builtIn("personal"), null, Clock.systemUTC());
        long cap = engine.pack().budgets().get("api_requests").cap();
        BudgetState room = new BudgetState("api_requests", BudgetPeriod.DAY, cap, 0, T0.plusSeconds(86_400));
        BudgetState full = new BudgetState("api_requests", BudgetPeriod.DAY, cap, cap, T0.plusSeconds(86_400));
        Decision allowed = engine.decide(meter(T0), List.of(room));
        Decision denied = engine.decide(meter(T0), List.of(full));
        assertThat(allowed.effect()).isEqualTo(Effect.ALLOW);
        assertThat(denied.effect()).isEqualTo(Effect.DENY);
        assertThat(engine.decide(meter(T0), List.of(room))).isEqualTo(allowed); // evaluated again, same result
    }

    @Test
    void should_not_memoize_a_pack_whose_rules_read_the_clock(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("night.drl"), """
            package dev.cloned.custom
            import dev.cloned.rules.fact.ToolCall
            import dev.cloned.rules.fact.Verdicts

            rule "night_owl"
            when
                $c : ToolCall( toolId == "cloned.internal.echo@v1" )
                $v : Verdicts()
                eval( java.time.LocalTime.now().getHour() >= 0 )
            then
                $v.allow(kcontext, "night", "always true, but only a clock could say");
            end
            """);
        PolicyPack pack = PackLoader.withOverlay(PackLoader.builtIn("personal"), dir);
        assertThat(DroolsPolicyEngine.readsClock(pack)).isEqualTo("night.drl");
        assertThat(DroolsPolicyEngine.readsClock(PackLoader.builtIn("enterprise"))).isNull();
        PolicyEngine engine = Policies.compile(pack, null, Clock.systemUTC());
        assertThat(engine.deterministic()).isFalse(); // a replay does not reuse its decisions either
        assertThat(Policies.compile(PackLoader.builtIn("personal"), null, Clock.systemUTC()).deterministic()).isTrue();
        Decision a = engine.decide(echo("a", T0), List.of());
        Decision b = engine.decide(echo("a", T0), List.of());
        assertThat(b).isNotSameAs(a).isEqualTo(a);
    }
}
