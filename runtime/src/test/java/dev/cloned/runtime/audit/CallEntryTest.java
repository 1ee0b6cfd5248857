package dev.cloned.runtime.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.rules.CallFacts;
import dev.cloned.rules.Charge;
import dev.cloned.rules.Decision;
import dev.cloned.rules.EgressMatch;
import dev.cloned.rules.Effect;
import dev.cloned.rules.FiredRule;
import dev.cloned.rules.Reason;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.rules.json.FactsJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The direct renderer writes exactly the canonical JSON of the equivalent tree, so hashes and readers agree. */
class CallEntryTest {
    private static final Decision DECISION = new Decision(Effect.REQUIRE_APPROVAL,
        List.of(new Reason("high_risk", "needs \"a\" human\n", "approve_high_risk", Effect.REQUIRE_APPROVAL),
            new Reason("tool_registered", "ok", "allow_registered_tool", Effect.ALLOW)),
        List.of(new FiredRule("approve_high_risk", "lib:governance", List.of("ToolCall(x, risk=high)"))),
        new EgressMatch("api.example.com", true, "tool", "t@v1", "*.example.com"),
        List.of(new Charge("api_requests", 3)), List.of("owner"), "a".repeat(64));
    private static final CallFacts FACTS = new CallFacts("t@v1", true, "conn", "pub", List.of("web.fetch"), "high",
        "api_requests", 3L, "api.example.com", "alice", Instant.parse("2026-05-01T10:00:00.123Z"), false);

    private static ObjectNode tree(String kind, boolean explained, String outcome, String approval, Long duration,
                                   String error, boolean facts) {
        ObjectNode e = AuditEntries.base(kind, FACTS.at(), "alice é", "ws_1");
        e.put("id", "aud_0123456789abcdef0123456789abcdef");
        e.put("call_id", "call_0123456789abcdef0123456789abcdef");
        e.put("tool_id", "t").put("tool_version", "v1").put("schema_id", "cloned.tool_call_envelope/v1");
        e.put("input_hash", "b".repeat(64)).put("payload_hash", "c".repeat(64));
        e.set("policy_decision", explained ? AuditEntries.decision(DECISION) : AuditEntries.outcomeDecision(DECISION));
        e.set("costs", AuditEntries.costs(DECISION.charges()));
        if (outcome == null) {
            e.putNull("outcome");
        } else {
            e.put("outcome", outcome);
        }
        e.put("dry_run", false);
        if (approval != null) {
            e.put("approval_id", approval);
        }
        if (duration != null) {
            e.put("duration_us", duration);
        }
        if (error != null) {
            e.put("error", error);
        }
        if (facts) {
            e.set("facts", FactsJson.write(FACTS));
        }
        return e;
    }

    private static CallEntry direct(String kind, boolean explained, String outcome, String approval, Long duration,
                                    String error, boolean facts) {
        CallEntry e = CallEntry.of(kind).base("aud_0123456789abcdef0123456789abcdef", FACTS.at().toString(), "alice é",
                "ws_1")
            .call("call_0123456789abcdef0123456789abcdef", "t", "v1", "cloned.tool_call_envelope/v1", "b".repeat(64),
                "c".repeat(64))
            .decision(AuditEntries.rendered(DECISION, explained), DECISION.effect().wire())
            .costs(AuditEntries.costs(DECISION.charges())).outcome(outcome).dryRun(false).approvalId(approval);
        if (duration != null) {
            e.durationUs(duration);
        }
        if (error != null) {
            e.error(error);
        }
        if (facts) {
            e.facts(FactsJson.write(FACTS));
        }
        return e;
    }

    @Test
    void should_render_exactly_the_canonical_json_of_the_tree() {
        Object[][] cases = {
            {"decision", true, null, null, null, null, true},
            {"decision", true, "blocked", "apr_1", null, null, true},
            {"outcome", false, "success", null, 42L, null, false},
            {"outcome", false, "failure", "apr_2", 7L, "boom \"quoted\" \u0001", false},
        };
        for (Object[] c : cases) {
            String expected = CanonicalJson.write(tree((String) c[0], (boolean) c[1], (String) c[2], (String) c[3],
                (Long) c[4], (String) c[5], (boolean) c[6]));
            String actual = new String(direct((String) c[0], (boolean) c[1], (String) c[2], (String) c[3], (Long) c[4],
                (String) c[5], (boolean) c[6]).prepare().bodyWithout(), StandardCharsets.UTF_8);
            assertThat(actual).isEqualTo(expected);
        }
    }

    @Test
    void should_append_entries_that_verify_and_mirror_their_columns(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("audit.log");
        try (AuditLog audit = new AuditLog(log, null)) {
            audit.append(direct("decision", true, null, null, null, null, true));
            audit.appendAsync(direct("outcome", false, "success", null, 5L, null, false));
            audit.append(AuditEntries.system(Instant.now(), "test", "ws_1", "x", null));
        }
        assertThat(AuditVerifier.verify(log).ok()).isTrue();
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(3);
        assertThat(CanonicalJson.MAPPER.readTree(lines.get(1)).path("policy_decision").path("effect").asText())
            .isEqualTo("require_approval");
        assertThat(direct("outcome", false, "success", null, 5L, null, false).toJson().path("duration_us").asLong())
            .isEqualTo(5L);
    }
}
