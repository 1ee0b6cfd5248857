package dev.cloned.rules.drools;

import dev.cloned.rules.CallFacts;
import dev.cloned.rules.Decision;
import dev.cloned.rules.Effect;
import dev.cloned.rules.PolicyEngine;
import dev.cloned.rules.Policies;
import dev.cloned.rules.pack.PackLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a decision reports as fired is what fired, in order; and custom rules that insert facts of their own leave
 * nothing behind in the reused session for the next decision.
 */
class FiredRulesTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    private static CallFacts echo(String actor) {
        return new CallFacts("cloned.internal.echo@v1", true, "cloned.internal", "cloned.official",
            List.of("util.echo"), "low", null, null, null, actor, T0, false);
    }

    private static PolicyEngine withRules(Path dir, String drl) throws Exception {
        Files.writeString(dir.resolve("custom.drl"), drl);
        return Policies.compile(PackLoader.withOverlay(PackLoader.builtIn("personal"), dir), null, Clock.systemUTC());
    }

    @Test
    void should_not_report_a_match_that_an_earlier_rule_cancelled(@TempDir Path dir) throws Exception {
        PolicyEngine engine = withRules(dir, """
            package dev.cloned.custom
            import dev.cloned.rules.fact.ToolCall
            import dev.cloned.rules.fact.Verdicts

            rule "stop_first"
            salience 100
            when
                ToolCall( toolId == "cloned.internal.echo@v1" )
            then
                insert("stop");
            end

            rule "deny_unless_stopped"
            when
                ToolCall( toolId == "cloned.internal.echo@v1" )
                not String( this == "stop" )
                $v : Verdicts()
            then
                $v.deny(kcontext, "not_stopped", "would deny");
            end
            """);

        Decision d = engine.decide(echo("a"), List.of());

        assertThat(d.effect()).isEqualTo(Effect.ALLOW);
        assertThat(d.firedRuleNames()).contains("stop_first", "allow_registered_tool")
            .doesNotContain("deny_unless_stopped");
        assertThat(d.firedRuleNames().indexOf("stop_first")).as("salience first").isZero();
    }

    @Test
    void should_leave_no_fact_a_rule_inserted_for_the_next_decision(@TempDir Path dir) throws Exception {
        PolicyEngine engine = withRules(dir, """
            package dev.cloned.custom
            import dev.cloned.rules.fact.ToolCall
            import dev.cloned.rules.fact.Verdicts

            rule "remember_x"
            when
                ToolCall( actor == "x" )
            then
                insert("seen-x");
            end

            rule "deny_after_x"
            when
                ToolCall( actor == "y" )
                String( this == "seen-x" )
                $v : Verdicts()
            then
                $v.deny(kcontext, "after_x", "x was seen before");
            end
            """);

        assertThat(engine.decide(echo("x"), List.of()).effect()).isEqualTo(Effect.ALLOW);
        Decision y = engine.decide(echo("y"), List.of());

        assertThat(y.firedRuleNames()).doesNotContain("deny_after_x");
        assertThat(y.effect()).as("a decision sees only its own facts").isEqualTo(Effect.ALLOW);
    }

    @Test
    void should_fire_a_rule_on_the_pack_data_alone_for_every_call(@TempDir Path dir) throws Exception {
        // Matches no per-call fact: the session cannot keep the pack data inserted between calls for this pack.
        PolicyEngine engine = withRules(dir, """
            package dev.cloned.custom
            import dev.cloned.rules.fact.PackData
            import dev.cloned.rules.fact.Verdicts

            rule "deny_everything_in_personal"
            when
                PackData( tier == "personal" )
                $v : Verdicts()
            then
                $v.deny(kcontext, "frozen", "the personal pack is frozen");
            end
            """);

        for (String actor : List.of("a", "b", "c")) {
            Decision d = engine.decide(echo(actor), List.of());
            assertThat(d.effect()).as(actor).isEqualTo(Effect.DENY);
            assertThat(d.primaryCode()).as(actor).isEqualTo("frozen");
            assertThat(d.firedRuleNames()).as(actor).contains("deny_everything_in_personal", "allow_registered_tool");
        }
    }

    @Test
    void should_decide_the_next_call_on_the_full_pack_after_a_rule_deleted_the_pack_data(@TempDir Path dir)
        throws Exception {
        PolicyEngine engine = withRules(dir, """
            package dev.cloned.custom
            import dev.cloned.rules.fact.ToolCall
            import dev.cloned.rules.fact.PackData
            import dev.cloned.rules.fact.Verdicts

            rule "drop_pack_data_for_x"
            salience 100
            when
                ToolCall( actor == "x" )
                $p : PackData()
            then
                delete($p);
            end

            rule "deny_y_by_pack"
            when
                ToolCall( actor == "y" )
                PackData()
                $v : Verdicts()
            then
                $v.deny(kcontext, "y_denied", "y is denied by the pack");
            end
            """);

        assertThat(engine.decide(echo("x"), List.of()).effect()).isEqualTo(Effect.ALLOW);
        Decision y = engine.decide(echo("y"), List.of());

        assertThat(y.firedRuleNames()).as("the pack data is back for the next call").contains("deny_y_by_pack");
        assertThat(y.effect()).isEqualTo(Effect.DENY);
    }

    @Test
    void should_report_only_the_current_decisions_reasons_and_charges() throws Exception {
        PolicyEngine engine = Policies.compile(PackLoader.builtIn("personal"), null, Clock.systemUTC());
        CallFacts metered = new CallFacts("cloned.internal.meter@v1", true, "cloned.internal", "cloned.official",
            List.of("util.meter"), "low", "api_requests", 3L, null, "m", T0, false);
        List<dev.cloned.rules.BudgetState> budget = List.of(new dev.cloned.rules.BudgetState("api_requests",
            dev.cloned.rules.BudgetPeriod.MONTH, 10, 0, dev.cloned.rules.BudgetPeriod.MONTH.windowEnd(T0)));

        Decision first = engine.decide(metered, budget);
        List<dev.cloned.rules.Reason> firstReasons = List.copyOf(first.reasons());
        Decision free = engine.decide(echo("n"), List.of());
        Decision again = engine.decide(metered, budget);

        assertThat(first.charges()).hasSize(1);
        assertThat(first.charges().get(0).amount()).isEqualTo(3L);
        assertThat(free.charges()).as("nothing carried over from the metered call").isEmpty();
        assertThat(free.reasons()).extracting(r -> r.code()).containsExactly("tool_registered");
        assertThat(again.charges()).isEqualTo(first.charges());
        assertThat(again.reasons()).isEqualTo(first.reasons());
        assertThat(first.reasons()).as("earlier decisions are not changed by later ones").isEqualTo(firstReasons);
        assertThat(firstReasons).extracting(r -> r.code()).contains("tool_registered");
    }
}
