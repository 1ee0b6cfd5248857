package dev.cloned.rules.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.rules.CallFacts;
import dev.cloned.rules.Effect;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.rules.json.FactsJson;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The audit line reader ({@link AuditLineScanner} with the full Jackson read behind it) against three oracles: the
 * full streaming read alone, the reader it replaced ({@link LegacyAuditRecords}), and a tree read through
 * {@link FactsJson#read}.
 */
class AuditRecordsTest {
    private static final String[] TOOLS = {"cloned.internal.echo@v1", "cloned.internal.fetch@v1",
        "cloned.mcp.web.search@v1", "cloned.internal.artifact.write@v1", "vendor.unknown.tool@v2", "outil.été@v1"};
    private static final String[] HOSTS = {"api.duckduckgo.com", "localhost", "evil.example", "[::1]", "xn--bcher-kva.ch"};
    private static final String[] ACTORS = {"agent:bench", "user:ana", "agent:planner/2", "anonymous"};
    private static final String[] MESSAGES = {"cloned.internal.echo@v1 is a registered tool",
        "outbound host \"evil.example\" is not on any egress allowlist", "path C:\\tmp\\x is \\ denied",
        "needs approval — risk high", "tab\there, new line\nthere", "emoji \uD83D\uDE80 and \u0001 control"};

    // ---- a corpus of lines ----------------------------------------------------------------------------------------

    private static String pick(Random r, String[] from) {
        return from[r.nextInt(from.length)];
    }

    private static CallFacts randomFacts(Random r, Instant at) {
        boolean registered = r.nextInt(10) > 0;
        String category = r.nextInt(3) == 0 ? null : pick(r, new String[] {"api_requests", "content_publish", "storage"});
        Long cost = category == null || r.nextInt(8) == 0 ? null : (long) r.nextInt(6);
        List<String> caps = switch (r.nextInt(4)) {
            case 0 -> List.of();
            case 1 -> List.of("util.echo");
            case 2 -> List.of("web.fetch", "web.search");
            default -> List.of("artifact.write", "a]b", "c[d");
        };
        return new CallFacts(pick(r, TOOLS), registered, registered ? "cloned.internal" : null,
            registered && r.nextBoolean() ? "cloned.official" : null, caps,
            pick(r, new String[] {"low", "medium", "high"}), category, cost, r.nextBoolean() ? pick(r, HOSTS) : null,
            pick(r, ACTORS), at, r.nextInt(5) == 0);
    }

    private static ObjectNode decision(Random r, Effect effect, boolean approved) {
        ObjectNode d = CanonicalJson.MAPPER.createObjectNode();
        d.put("effect", effect.wire());
        ArrayNode reasons = d.putArray("reasons");
        if (approved) {
            reasons.addObject().put("code", "approval_granted").put("message", "approved by ana (apr_1)")
                .put("rule", "approval:apr_1").put("effect", "allow");
        }
        for (int k = r.nextInt(3); k >= 0; k--) {
            reasons.addObject().put("code", pick(r, new String[] {"tool_registered", "egress_denied", "approval_required"}))
                .put("message", pick(r, MESSAGES)).put("rule", "rule_" + k).put("effect", effect.wire());
        }
        ArrayNode fired = d.putArray("fired_rules");
        fired.add("allow_registered_tool").add("charge_budget");
        ArrayNode matches = d.putArray("rule_matches");
        for (int k = r.nextInt(3); k >= 0; k--) {
            matches.addObject().put("name", "rule_" + k).put("source", "lib:governance").putArray("matched")
                .add("ToolCall(x, risk=low, note=\"{[}]\")").add(pick(r, MESSAGES));
        }
        d.put("why", effect.wire() + ": " + pick(r, MESSAGES));
        if (r.nextBoolean()) {
            d.putObject("egress").put("host", pick(r, HOSTS)).put("allowed", r.nextBoolean()).put("scope", "connector");
        }
        d.putArray("approvers").add("workspace.owner");
        d.put("pack_hash", CanonicalJson.sha256("pack"));
        return d;
    }

    /** An entry as the governed path writes it (or an older or other kind of entry). */
    private static ObjectNode entry(Random r, long seq) {
        Instant at = Instant.parse("2026-01-01T00:00:00Z").plusMillis(r.nextInt(90_000_000) * 97L)
            .plusNanos(r.nextInt(4) == 0 ? r.nextInt(1_000_000) * 1000L : 0);
        String kind = pick(r, new String[] {"decision", "decision", "decision", "decision", "outcome", "system"});
        ObjectNode e = CanonicalJson.MAPPER.createObjectNode();
        e.put("id", "aud_" + Long.toHexString(r.nextLong()));
        e.put("timestamp", at.toString());
        e.put("kind", kind);
        e.put("actor", pick(r, ACTORS));
        e.put("workspace_id", "ws_test");
        if (kind.equals("system")) {
            e.put("event", "policy.activated");
            e.putObject("details").put("pack", "personal").putArray("changes").add(1).add(2.5).add(false).addNull();
        } else {
            switch (r.nextInt(6)) {
                case 0 -> e.putNull("call_id");
                case 1 -> { } // old entries without a call id
                default -> e.put("call_id", "call_" + Long.toHexString(r.nextLong()));
            }
            Effect effect = Effect.values()[r.nextInt(3)];
            boolean approved = effect == Effect.ALLOW && r.nextInt(4) == 0;
            e.set("policy_decision", decision(r, effect, approved));
            if (approved) {
                e.put("approval_id", "apr_1");
            }
            e.putArray("costs").addObject().put("category", "api_requests").put("amount", r.nextInt(5));
            if (r.nextBoolean()) {
                e.put("outcome", "success");
            } else {
                e.putNull("outcome");
            }
            CallFacts f = randomFacts(r, at);
            e.put("dry_run", f.dryRun());
            e.put("schema_id", "https://cloned.dev/schemas/tool_call_envelope.json");
            if (kind.equals("decision") && r.nextInt(8) > 0) { // older decision entries have no facts
                ObjectNode facts = FactsJson.write(f);
                if (r.nextInt(6) == 0) {
                    facts.putNull("egress_host").putNull("cost_estimate").putNull("publisher_id");
                }
                if (r.nextInt(6) == 0) {
                    facts.put("extra", "a \"quoted\" \\ value").putObject("nested").putArray("list").add("{").add(3);
                }
                e.set("facts", facts);
            }
        }
        e.put("seq", seq);
        e.put("chain_prev_hash", CanonicalJson.sha256("p" + seq));
        e.put("chain_this_hash", CanonicalJson.sha256("t" + seq));
        return e;
    }

    /** Each entry in three renderings: canonical (as the log writes it), insertion order, and pretty printed. */
    private static List<String> corpus(int entries) throws Exception {
        Random r = new Random(20261124);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            ObjectNode e = entry(r, 1 + r.nextInt(1_000_000_000));
            out.add(CanonicalJson.write(e));
            out.add(CanonicalJson.MAPPER.writeValueAsString(e));
            out.add(e.toPrettyString());
        }
        return out;
    }

    /** What a tree read of the line says (the simplest reading: {@code readTree} and {@link FactsJson#read}). */
    private static RecordedCall tree(String line) throws Exception {
        JsonNode e = CanonicalJson.MAPPER.readTree(line);
        if (!"decision".equals(e.path("kind").asText()) || !e.path("facts").isObject()) {
            return null;
        }
        JsonNode d = e.path("policy_decision");
        boolean approved = false;
        for (JsonNode reason : d.path("reasons")) {
            approved |= "approval_granted".equals(reason.path("code").asText());
        }
        return new RecordedCall(e.path("seq").asLong(), e.hasNonNull("call_id") ? e.get("call_id").asText() : null,
            FactsJson.read(e.get("facts")), d.has("effect") ? Effect.fromWire(d.get("effect").asText()) : null,
            approved, true);
    }

    // ---- tests ----------------------------------------------------------------------------------------------------

    @Test
    void should_read_exactly_what_the_full_read_and_the_previous_reader_read_when_lines_vary() throws Exception {
        List<String> lines = corpus(1500);
        int decisions = 0;
        int scanned = 0;
        for (String line : lines) {
            RecordedCall got = AuditRecords.parse(line);

            assertThat(got).as(line).isEqualTo(AuditRecords.reference(line)).isEqualTo(LegacyAuditRecords.parse(line))
                .isEqualTo(tree(line));
            decisions += got == null ? 0 : 1;
            scanned += AuditLineScanner.scan(line) == AuditLineScanner.GIVE_UP ? 0 : 1;
        }
        assertThat(decisions).as("decisions with facts in the corpus").isGreaterThan(lines.size() / 3);
        assertThat(scanned).as("lines the fast scan read by itself").isGreaterThan(lines.size() * 8 / 10);
    }

    @Test
    void should_read_the_same_calls_in_order_when_reading_many_lines_on_several_threads() throws Exception {
        List<String> lines = corpus(3500); // 10,500 lines: several chunks
        List<RecordedCall> oneByOne = new ArrayList<>();
        for (String line : lines) {
            RecordedCall c = AuditRecords.parse(line);
            if (c != null) {
                oneByOne.add(c);
            }
        }

        assertThat(AuditRecords.parseAll(lines)).isEqualTo(oneByOne);
        assertThat(AuditRecords.parseAll(lines.subList(0, 10))).isEqualTo(oneByOne.subList(0,
            (int) lines.subList(0, 10).stream().map(AuditRecords::parse).filter(java.util.Objects::nonNull).count()));

        List<String> broken = new ArrayList<>(lines);
        broken.set(9000, "{\"kind\":\"decision\",\"facts\":{\"tool_id\":\"late\"");
        broken.set(5000, "{\"kind\":\"decision\",\"facts\":{\"tool_id\":\"early");
        Throwable first = catchThrowable(() -> AuditRecords.parse(broken.get(5000)));
        assertThatThrownBy(() -> AuditRecords.parseAll(broken)).isInstanceOf(UncheckedIOException.class)
            .hasMessage(first.getMessage());
    }

    @Test
    void should_read_a_canonical_line_in_one_pass_when_its_needed_values_have_no_escapes() throws Exception {
        Random r = new Random(7);
        for (int i = 0; i < 500; i++) {
            String line = CanonicalJson.write(entry(r, i + 1));

            RecordedCall fast = AuditLineScanner.scan(line);

            assertThat(fast).as(line).isNotSameAs(AuditLineScanner.GIVE_UP).isEqualTo(AuditRecords.reference(line));
        }
    }

    @Test
    void should_read_the_approval_dry_run_and_missing_facts_when_parsing_recorded_entries() {
        CallFacts f = new CallFacts("cloned.internal.artifact.write@v1", true, "cloned.internal", "cloned.official",
            List.of("artifact.write"), "high", null, null, null, "user:ana", Instant.parse("2026-03-02T10:00:00.5Z"),
            true);
        ObjectNode e = CanonicalJson.MAPPER.createObjectNode().put("kind", "decision").put("call_id", "call_1")
            .put("seq", 12);
        e.set("policy_decision", decision(new Random(1), Effect.REQUIRE_APPROVAL, true));
        e.set("facts", FactsJson.write(f));
        ObjectNode old = e.deepCopy();
        old.remove("facts");

        RecordedCall rc = AuditRecords.parse(CanonicalJson.write(e));

        assertThat(rc).isEqualTo(new RecordedCall(12, "call_1", f, Effect.REQUIRE_APPROVAL, true, true));
        assertThat(rc.facts().dryRun()).isTrue();
        assertThat(AuditRecords.parse(CanonicalJson.write(old))).as("an entry from before facts were recorded").isNull();
        assertThat(AuditRecords.parse("{}")).isNull();
        assertThat(AuditRecords.parse("[1,2]")).isNull();
    }

    @Test
    void should_match_the_full_read_when_values_need_unescaping_or_are_unusual() {
        String facts = "\"facts\":{\"at\":\"2026-03-02T10:00:00Z\",\"capabilities\":[\"web.fetch\"],"
            + "\"tool_id\":\"cloned.internal.fetch@v1\"";
        List<String> lines = List.of(
            "{\"kind\":\"decision\",\"seq\":1," + facts + ",\"actor\":\"agent\\u003aescaped\"}}",
            "{\"kind\":\"decision\",\"seq\":1," + facts + ",\"cost_category\":\"api_requests\",\"cost_estimate\":2.0}}",
            "{\"kind\":\"decision\",\"seq\":1," + facts + ",\"cost_estimate\":1e2,\"cost_category\":\"a\"}}",
            "{\"kind\":\"decision\",\"seq\":1," + facts + ",\"capabilities\":[\"x\"]}}",
            "{\"kind\":\"decision\",\"seq\":1," + facts + ",\"registered\":null,\"dry_run\":null}}",
            "{\"kind\":\"decis\\u0069on\",\"seq\":2," + facts + "}}",
            "{\"kind\":\"decision\",\"seq\":-3,\"call_id\":null," + facts + "},\"policy_decision\":{\"effect\":"
                + "\"Require_Approval\",\"reasons\":[{\"code\":\"approval\\u005fgranted\"}]}}",
            "{\"kind\":\"decision\",\"seq\":4," + facts + "},\"policy_decision\":{\"reasons\":[{\"code\":1},"
                + "{\"code\":{\"a\":[1]}},{}],\"effect\":\"deny\"},\"policy_decision\":{\"effect\":\"allow\"}}",
            "{\"kind\":\"decision\",\"seq\":4," + facts + "},\"facts\":{\"tool_id\":\"x@v1\"}}",
            "  {\n \"seq\" : 5 ,\t\"kind\" : \"decision\" ,\r\n " + facts.replace("\":", "\" : ") + " } }  ");
        for (String line : lines) {
            assertThat(AuditRecords.parse(line)).as(line).isEqualTo(AuditRecords.reference(line));
        }
        assertThat(AuditRecords.parse(lines.get(0)).facts().actor()).isEqualTo("agent:escaped");
        assertThat(AuditRecords.parse(lines.get(6)).approved()).isTrue();
        assertThat(AuditRecords.parse(lines.get(6)).recorded()).isEqualTo(Effect.REQUIRE_APPROVAL);
        assertThat(AuditRecords.parse(lines.get(7)).recorded()).isEqualTo(Effect.ALLOW);
        assertThat(AuditRecords.parse(lines.get(8))).isNull();
        assertThat(AuditRecords.parse(lines.get(9)).seq()).isEqualTo(5);
        String rawControl = "{\"kind\":\"decision\",\"seq\":1," + facts + ",\"actor\":\"a\u0001b\"}}";
        assertThatThrownBy(() -> AuditRecords.reference(rawControl)).isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> AuditRecords.parse(rawControl)).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void should_fail_or_answer_like_the_full_read_when_a_line_is_cut_short() {
        Random r = new Random(3);
        for (int i = 0; i < 40; i++) {
            String line = CanonicalJson.write(entry(r, i + 1));
            for (int cut = 0; cut < line.length(); cut += 1 + r.nextInt(23)) {
                String part = line.substring(0, cut);
                Throwable expected = catchThrowable(() -> AuditRecords.reference(part));
                if (expected == null) {
                    assertThat(AuditRecords.parse(part)).as(part).isEqualTo(AuditRecords.reference(part));
                } else {
                    assertThatThrownBy(() -> AuditRecords.parse(part)).as(part).isInstanceOf(expected.getClass());
                }
            }
        }
        assertThatThrownBy(() -> AuditRecords.parse("{\"kind\":\"decision\",\"facts\":{\"tool_id\":"))
            .isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void should_not_take_a_nested_kind_for_the_entry_kind_where_the_previous_reader_did() {
        // A system entry whose details (sorted before "kind") hold a decision-shaped object.
        ObjectNode e = CanonicalJson.MAPPER.createObjectNode().put("kind", "system").put("seq", 3);
        ObjectNode inner = e.putObject("details").put("kind", "decision").put("seq", 9);
        inner.putObject("policy_decision").put("effect", "allow");
        inner.set("facts", FactsJson.write(new CallFacts("cloned.internal.echo@v1", true, null, null, List.of(),
            "low", null, null, null, "a", Instant.parse("2026-01-01T00:00:00Z"), false)));
        String line = CanonicalJson.write(e);

        assertThat(LegacyAuditRecords.parse(line)).as("the position-based reader misread it").isNotNull();
        assertThat(AuditRecords.parse(line)).isNull();
        assertThat(AuditRecords.reference(line)).isNull();
    }

    @Test
    void should_share_one_instance_of_each_repeated_value_when_lines_repeat_them() {
        CallFacts f = new CallFacts("cloned.mcp.web.search@v1", true, "connector.web.search", "cloned.official",
            List.of("web.search"), "low", "api_requests", 1L, "api.duckduckgo.com", "agent:bench",
            Instant.parse("2026-01-01T00:00:00Z"), false);
        ObjectNode e = CanonicalJson.MAPPER.createObjectNode().put("kind", "decision").put("seq", 1);
        e.set("facts", FactsJson.write(f));
        String a = CanonicalJson.write(e);
        String b = CanonicalJson.write(e.put("seq", 2));

        CallFacts fa = AuditRecords.parse(a).facts();
        CallFacts fb = AuditRecords.parse(b).facts();

        assertThat(fa).isEqualTo(f).isEqualTo(fb);
        assertThat(fb.toolId()).isSameAs(fa.toolId());
        assertThat(fb.actor()).isSameAs(fa.actor());
        assertThat(fb.egressHost()).isSameAs(fa.egressHost());
        assertThat(fb.capabilities()).isSameAs(fa.capabilities());
    }

    @Test
    void should_read_timestamps_exactly_like_instant_parse_when_given_valid_or_invalid_text() {
        List<String> texts = List.of("2026-03-02T10:00:00Z", "2026-03-02T10:00:00.5Z", "2026-12-31T23:59:59.123456789Z",
            "2024-02-29T00:00:00.000001Z", "1970-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "2026-03-02t10:00:00z",
            "2026-03-02T10:00:00.Z", "2026-03-02T10:00:00.1234567890Z", "2025-02-29T00:00:00Z", "2026-03-02T24:00:00Z",
            "2026-03-02T10:60:00Z", "2026-03-02T23:59:60Z", "2026x03x02T10:00:00Z", "2026-03-02T10:00:00+01:00",
            "+12026-03-02T10:00:00Z", "2026-3-02T10:00:00Z", "2026-03-02T10:00:0aZ", "");
        for (String t : texts) {
            Throwable expected = catchThrowable(() -> Instant.parse(t));
            if (expected == null) {
                assertThat(AuditRecords.instant(t)).as(t).isEqualTo(Instant.parse(t));
                assertThat(AuditLineScanner.instant("x\"" + t + "\"", 2, 2 + t.length())).as(t).isEqualTo(Instant.parse(t));
            } else {
                assertThatThrownBy(() -> AuditRecords.instant(t)).as(t).isInstanceOf(DateTimeParseException.class);
            }
        }
    }
}
