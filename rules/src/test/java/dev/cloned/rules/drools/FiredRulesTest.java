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
}
