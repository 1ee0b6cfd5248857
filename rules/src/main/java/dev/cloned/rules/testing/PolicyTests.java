package dev.cloned.rules.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.rules.BudgetPeriod;
import dev.cloned.rules.BudgetState;
import dev.cloned.rules.CallFacts;
import dev.cloned.rules.Decision;
import dev.cloned.rules.Effect;
import dev.cloned.rules.FiredRule;
import dev.cloned.rules.PolicyEngine;
import dev.cloned.rules.Policies;
import dev.cloned.rules.Reason;
import dev.cloned.rules.pack.PackLoader;
import dev.cloned.rules.pack.RuleSource;
import dev.cloned.rules.schema.SchemaValidator;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs a pack's test cases (like {@code opa test}): each case gives call facts and budget state and expects an
 * effect, reason codes and fired rules. Every rule of the pack must be exercised by at least one case.
 */
public final class PolicyTests {
    private static final Instant DEFAULT_AT = Instant.parse("2026-01-15T12:00:00Z");

    private PolicyTests() {
    }

    /** Parses every test file of the pack. */
    public static List<PolicyTestCase> parse(List<RuleSource> files) {
        List<PolicyTestCase> out = new ArrayList<>();
        for (RuleSource f : files) {
            JsonNode doc = PackLoader.readYaml(f.content(), f.origin());
            SchemaValidator.require("policy-tests.schema.json", doc, f.origin(), ErrorCode.INVALID_POLICY);
            for (JsonNode c : doc.path("cases")) {
                out.add(parseCase(c, f.origin()));
            }
        }
        return out;
    }

    /** Runs the cases against the engine and checks rule coverage. */
    public static PolicyTestReport run(PolicyEngine engine, List<PolicyTestCase> cases) {
        List<PolicyTestReport.CaseResult> results = new ArrayList<>();
        Set<String> fired = new LinkedHashSet<>();
        for (PolicyTestCase c : cases) {
            PolicyEngine e = c.with() == null ? engine
                : Policies.compile(PackLoader.withOverlayData(engine.pack(), c.with(), c.file()), null, Clock.systemUTC());
            Decision d = e.decide(c.facts(), c.budgets());
            d.firedRules().forEach(r -> fired.add(r.name()));
            results.add(new PolicyTestReport.CaseResult(c, d, check(c, d)));
        }
        List<String> uncovered = engine.rules().stream().map(PolicyEngine.RuleInfo::name)
            .filter(n -> !fired.contains(n)).distinct().toList();
        return new PolicyTestReport(results, uncovered);
    }

    private static List<String> check(PolicyTestCase c, Decision d) {
        List<String> failures = new ArrayList<>();
        if (d.effect() != c.expectEffect()) {
            failures.add("expected effect " + c.expectEffect().wire() + " but got " + d.effect().wire()
                + " (" + d.primaryCode() + ")");
        }
        List<String> codes = d.reasons().stream().map(Reason::code).toList();
        for (String r : c.expectReasons()) {
            if (!codes.contains(r)) {
                failures.add("expected reason " + r + " but got " + codes);
            }
        }
        List<String> names = d.firedRules().stream().map(FiredRule::name).toList();
        for (String r : c.expectRules()) {
            if (!names.contains(r)) {
                failures.add("expected rule " + r + " to fire but fired " + names);
            }
        }
        return failures;
    }

    private static PolicyTestCase parseCase(JsonNode c, String file) {
        JsonNode call = c.path("call");
        try {
            Instant at = call.hasNonNull("at") ? Instant.parse(call.get("at").asText()) : DEFAULT_AT;
            CallFacts facts = new CallFacts(call.path("tool_id").asText(), call.path("registered").asBoolean(true),
                text(call, "connector_id"), text(call, "publisher_id"), strings(call.path("capabilities")),
                call.path("risk_level").asText("low"), text(call, "cost_category"),
                call.hasNonNull("cost_estimate") ? call.get("cost_estimate").asLong() : null, text(call, "egress_host"),
                call.path("actor").asText("test"), at, call.path("dry_run").asBoolean(false));
            List<BudgetState> budgets = new ArrayList<>();
            for (JsonNode b : c.path("budgets")) {
                BudgetPeriod period = BudgetPeriod.fromWire(b.path("period").asText("month"));
                budgets.add(new BudgetState(b.path("category").asText(), period, b.path("cap").asLong(),
                    b.path("used").asLong(0), period.windowEnd(at)));
            }
            JsonNode exp = c.path("expect");
            return new PolicyTestCase(c.path("name").asText(), file, facts, budgets,
                Effect.fromWire(exp.path("effect").asText()), strings(exp.path("reasons")),
                strings(exp.path("rules")), c.hasNonNull("with") ? c.get("with") : null);
        } catch (RuntimeException e) {
            throw new ClonedException(ErrorCode.INVALID_POLICY, file + ": case '" + c.path("name").asText() + "': "
                + e.getMessage(), "see schemas/policy-tests.schema.json");
        }
    }

    private static String text(JsonNode n, String f) {
        return n.hasNonNull(f) ? n.get(f).asText() : null;
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(x -> out.add(x.asText()));
        return out;
    }
}
