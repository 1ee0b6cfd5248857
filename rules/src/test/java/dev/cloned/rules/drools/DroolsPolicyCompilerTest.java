package dev.cloned.rules.drools;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.rules.CallFacts;
import dev.cloned.rules.Decision;
import dev.cloned.rules.Effect;
import dev.cloned.rules.PolicyEngine;
import dev.cloned.rules.PolicyProblem;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DroolsPolicyCompilerTest {
    private static final CallFacts ECHO = new CallFacts("cloned.internal.echo@v1", true, "cloned.internal",
        "cloned.official", List.of(), "low", null, null, null, "test", Instant.parse("2026-03-01T00:00:00Z"), false);

    @Test
    void should_name_file_and_line_when_an_overlay_rule_does_not_compile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("custom.drl"), """
            package dev.cloned.custom
            import dev.cloned.rules.fact.ToolCall

            rule "broken"
            when
                $c : ToolCall( nosuchfield == 1 )
            then
            end
            """);
        PolicyPack pack = PackLoader.withOverlay(PackLoader.builtIn("personal"), dir);

        List<PolicyProblem> problems = Policies.validate(pack);
        assertThat(problems).isNotEmpty();
        assertThat(problems.get(0).file()).isEqualTo("overlay:" + dir.resolve("custom.drl"));
        assertThat(problems.get(0).line()).isEqualTo(6);

        assertThatThrownBy(() -> Policies.compile(pack, null, Clock.systemUTC()))
            .isInstanceOf(ClonedException.class)
            .satisfies(e -> assertThat(((ClonedException) e).code()).isEqualTo(ErrorCode.INVALID_POLICY))
            .hasMessageContaining("custom.drl:6");
    }

    @Test
    void should_load_from_the_disk_cache_when_another_process_compiled_the_same_rules(@TempDir Path cache) {
        PolicyPack pack = PackLoader.builtIn("shared");
        DroolsPolicyCompiler.forgetMemoryCache();
        PolicyEngine first = Policies.compile(pack, cache, Clock.systemUTC());
        assertThat(first.origin()).isEqualTo("compiled");
        assertThat(cache.resolve(DroolsPolicyCompiler.rulesHash(pack) + ".kpkgs")).isRegularFile();

        DroolsPolicyCompiler.forgetMemoryCache(); // as if a new process started
        PolicyEngine second = Policies.compile(pack, cache, Clock.systemUTC());

        assertThat(second.origin()).isEqualTo("cache");
        assertThat(second.hash()).isEqualTo(first.hash());
        Decision d = second.decide(ECHO, List.of());
        assertThat(d.effect()).isEqualTo(Effect.ALLOW);
        assertThat(d.firedRuleNames()).containsExactly("allow_registered_tool");
    }

    @Test
    void should_give_the_same_decision_when_the_facts_are_the_same() {
        PolicyEngine engine = Policies.compile(PackLoader.builtIn("personal"), null, Clock.systemUTC());
        Decision a = engine.decide(ECHO, List.of());
        Decision b = engine.decide(ECHO, List.of());
        assertThat(a).isEqualTo(b);
    }

    @Test
    void should_deny_with_policy_error_when_a_rule_throws_while_deciding(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("throws.drl"), """
            package dev.cloned.custom
            import dev.cloned.rules.fact.ToolCall

            rule "explodes"
            when
                $c : ToolCall()
            then
                throw new IllegalStateException("boom");
            end
            """);
        PolicyEngine engine = Policies.compile(PackLoader.withOverlay(PackLoader.builtIn("personal"), dir), null,
            Clock.systemUTC());

        Decision d = engine.decide(ECHO, List.of());

        assertThat(d.effect()).isEqualTo(Effect.DENY);
        assertThat(d.primaryCode()).isEqualTo("policy_error");
    }

    @Test
    void should_reject_an_over_broad_egress_pattern_when_the_overlay_loads(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("policy.personal.default.yaml"), "allowlists:\n  egress_domains: ['*.com']\n");
        assertThatThrownBy(() -> PackLoader.withOverlay(PackLoader.builtIn("personal"), dir))
            .isInstanceOf(ClonedException.class)
            .hasMessageContaining("/allowlists/egress_domains/0")
            .hasMessageContaining("too broad");
    }

    @Test
    void should_name_the_field_when_pack_data_does_not_match_the_schema(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("policy.personal.default.yaml"), "budgets:\n  api_requests: {period: fortnight, cap: 3}\n");
        assertThatThrownBy(() -> PackLoader.withOverlay(PackLoader.builtIn("personal"), dir))
            .isInstanceOf(ClonedException.class)
            .hasMessageContaining("/budgets/api_requests/period");
    }
}
