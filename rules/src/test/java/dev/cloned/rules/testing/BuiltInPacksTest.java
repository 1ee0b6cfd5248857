package dev.cloned.rules.testing;

import dev.cloned.rules.PolicyEngine;
import dev.cloned.rules.Policies;
import dev.cloned.rules.pack.PackLoader;
import dev.cloned.rules.pack.PolicyPack;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs every built-in pack's own test cases: all must pass and every rule must have a case. */
class BuiltInPacksTest {

    @ParameterizedTest(name = "pack {0}")
    @ValueSource(strings = {"personal", "shared", "enterprise"})
    void should_pass_its_own_cases_and_cover_every_rule_when_pack_is_built_in(String name) {
        PolicyPack pack = PackLoader.builtIn(name);
        PolicyEngine engine = Policies.compile(pack, null, Clock.systemUTC());

        PolicyTestReport report = PolicyTests.run(engine, PolicyTests.parse(pack.tests()));

        String failures = report.results().stream().filter(r -> !r.passed())
            .map(r -> r.testCase().name() + ": " + r.failures()).collect(Collectors.joining("\n"));
        assertThat(failures).as("failing cases").isEmpty();
        assertThat(report.uncoveredRules()).as("rules without a case").isEmpty();
        assertThat(report.results()).hasSizeGreaterThanOrEqualTo(engine.rules().size());
    }

    @ParameterizedTest(name = "pack {0}")
    @ValueSource(strings = {"personal", "shared", "enterprise"})
    void should_fail_the_run_when_a_rule_has_no_case(String name) {
        PolicyPack pack = PackLoader.builtIn(name);
        PolicyEngine engine = Policies.compile(pack, null, Clock.systemUTC());
        // Only the first case: most rules are then uncovered, which must count as failures.
        PolicyTestReport report = PolicyTests.run(engine, PolicyTests.parse(pack.tests()).subList(0, 1));

        assertThat(report.uncoveredRules()).contains("deny_budget_exceeded", "require_approval_by_tool");
        assertThat(report.ok()).isFalse();
        assertThat(report.summary()).isEqualTo("1 passed, " + report.uncoveredRules().size() + " failed");
    }
}
