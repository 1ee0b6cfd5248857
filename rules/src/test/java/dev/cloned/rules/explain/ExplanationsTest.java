package dev.cloned.rules.explain;

import dev.cloned.rules.CallFacts;
import dev.cloned.rules.Decision;
import dev.cloned.rules.Effect;
import dev.cloned.rules.PolicyEngine;
import dev.cloned.rules.Policies;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.rules.pack.PackLoader;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExplanationsTest {
    private static final PolicyEngine ENGINE = Policies.compile(PackLoader.builtIn("personal"), null, Clock.systemUTC());

    private static CallFacts fetch(String host, String risk) {
        return new CallFacts("cloned.internal.fetch@v1", true, "cloned.internal", "cloned.official",
            List.of("web.fetch"), risk, "api_requests", 1L, host, "test", Instant.parse("2026-03-01T00:00:00Z"), false);
    }

    @Test
    void should_list_every_fired_rule_with_its_facts_and_say_deny_wins_when_egress_is_denied_at_high_risk() {
        Decision d = ENGINE.decide(fetch("evil.example", "high"), List.of());

        Explanation e = Explanations.of(d);

        assertThat(e.effect()).isEqualTo(Effect.DENY);
        assertThat(e.steps()).extracting(Explanation.Step::rule).containsExactlyElementsOf(d.firedRuleNames());
        assertThat(e.steps()).filteredOn(s -> s.rule().equals("deny_egress_not_allowlisted")).singleElement()
            .satisfies(s -> assertThat(s.matched()).anyMatch(m -> m.contains("evil.example")));
        assertThat(e.overruled()).extracting(r -> r.effect()).contains(Effect.ALLOW, Effect.REQUIRE_APPROVAL);
        assertThat(e.why()).startsWith("deny: deny by deny_egress_not_allowlisted (egress_denied)")
            .contains("deny beats approval beats allow").contains("overrules");
        assertThat(Explanations.text(e)).contains("matched ToolCall(cloned.internal.fetch@v1");
    }

    @Test
    void should_say_approval_beats_allow_when_a_high_risk_call_is_otherwise_allowed() {
        Decision d = ENGINE.decide(fetch("localhost", "high"), List.of());

        assertThat(Explanations.why(d)).startsWith("require_approval: require_approval by require_approval_by_risk");
    }

    @Test
    void should_explain_a_recorded_decision_alike_when_read_back_from_its_json() {
        Decision d = ENGINE.decide(fetch("evil.example", "low"), List.of());
        var json = CanonicalJson.MAPPER.createObjectNode().put("effect", d.effect().wire()).put("pack_hash", d.packHash());
        var reasons = json.putArray("reasons");
        d.reasons().forEach(r -> reasons.addObject().put("code", r.code()).put("message", r.message())
            .put("rule", r.rule()).put("effect", r.effect().wire()));
        var matches = json.putArray("rule_matches");
        d.firedRules().forEach(f -> matches.addObject().put("name", f.name()).put("source", f.source())
            .set("matched", CanonicalJson.MAPPER.valueToTree(f.matched())));

        Decision back = RecordedDecision.read(json, null);

        assertThat(Explanations.of(back)).usingRecursiveComparison().isEqualTo(Explanations.of(d));
    }
}
