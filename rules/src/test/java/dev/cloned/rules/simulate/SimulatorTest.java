package dev.cloned.rules.simulate;

import dev.cloned.rules.CallFacts;
import dev.cloned.rules.Effect;
import dev.cloned.rules.PolicyEngine;
import dev.cloned.rules.Policies;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.rules.json.FactsJson;
import dev.cloned.rules.pack.PackLoader;
import dev.cloned.rules.pack.PolicyPack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SimulatorTest {
    private static final PolicyPack PERSONAL = PackLoader.builtIn("personal");
    private static final PolicyEngine BASELINE = Policies.compile(PERSONAL, null, Clock.systemUTC());

    @TempDir
    Path dir;

    private static CallFacts search(String host, Instant at) {
        return new CallFacts("cloned.mcp.web.search@v1", true, "connector.web.search", "cloned.official",
            List.of("web.search"), "low", "api_requests", 1L, host, "agent", at, false);
    }

    private static CallFacts meter(long units, Instant at) {
        return new CallFacts("cloned.internal.meter@v1", true, "cloned.internal", "cloned.official",
            List.of("util.meter"), "low", "api_requests", units, null, "agent", at, false);
    }

    private static CallFacts echo(Instant at) {
        return new CallFacts("cloned.internal.echo@v1", true, "cloned.internal", "cloned.official",
            List.of("util.echo"), "low", null, null, null, "agent", at, false);
    }

    private static List<RecordedCall> recorded(List<CallFacts> facts) {
        List<RecordedCall> out = new ArrayList<>();
        for (int i = 0; i < facts.size(); i++) {
            out.add(new RecordedCall(i + 1, "call_" + (i + 1), facts.get(i), null, false, true));
        }
        return out;
    }

    private PolicyEngine overlay(String yaml) throws IOException {
        Path f = dir.resolve("candidate.yaml");
        Files.writeString(f, yaml);
        return Policies.compile(CandidatePacks.load(f, PERSONAL, dir.resolve("no-overlay")), null, Clock.systemUTC());
    }

    private PolicyEngine packWithout(String removedLine) throws IOException {
        Path packDir = dir.resolve("tight");
        Files.createDirectories(packDir);
        String yaml = new String(PackLoader.class.getClassLoader()
            .getResourceAsStream("policy/packs/personal/pack.yaml").readAllBytes());
        assertThat(yaml).contains(removedLine);
        Files.writeString(packDir.resolve("pack.yaml"), yaml.replace(removedLine, "").replace("tests:\n"
            + "  - tests/governance.tests.yaml\n", ""));
        return Policies.compile(CandidatePacks.load(packDir, PERSONAL, dir.resolve("no-overlay")), null,
            Clock.systemUTC());
    }

    @Test
    void should_report_exactly_the_affected_calls_when_a_candidate_tightens_egress() throws IOException {
        // The candidate drops brave search from both the tool's and the connector's egress lists.
        PolicyEngine tight = packWithout("connector.web.search: [api.duckduckgo.com, html.duckduckgo.com, "
            + "api.search.brave.com]");
        PolicyPack p = tight.pack();
        PolicyPack narrowed = new PolicyPack(p.packId(), p.tier(), p.version(), p.budgets(), p.approvalRules(),
            new PolicyPack.Allowlists(p.allowlists().publishers(), p.allowlists().tools(),
                p.allowlists().capabilities(), p.allowlists().egressDomains(), p.allowlists().egressByConnector(),
                java.util.Map.of("cloned.mcp.web.search@v1", List.of("api.duckduckgo.com"))),
            p.denylists(), p.allowedOrigins(), p.rules(), p.tests());
        PolicyEngine candidate = Policies.compile(narrowed, null, Clock.systemUTC());
        Instant t = Instant.parse("2026-03-02T10:00:00Z");
        List<RecordedCall> calls = recorded(List.of(search("api.duckduckgo.com", t), search("api.search.brave.com",
            t.plusSeconds(1)), echo(t.plusSeconds(2)), search("api.search.brave.com", t.plusSeconds(3)),
            search("evil.example", t.plusSeconds(4))));

        SimulationReport r = new Simulator(BASELINE, candidate, Simulator.Options.defaults()).run(calls);

        assertThat(r.replayed()).isEqualTo(5);
        assertThat(r.changed()).isEqualTo(2);
        assertThat(r.transitions()).containsExactly(java.util.Map.entry("allow->deny", 2));
        assertThat(r.samples()).extracting(SimulationReport.ChangedCall::seq).containsExactly(2L, 4L);
        assertThat(r.samples().get(0).toCode()).isEqualTo("egress_denied");
        assertThat(r.samples().get(0).candidateRules()).contains("deny_egress_not_allowlisted");
        assertThat(r.samples().get(0).baselineRules()).doesNotContain("deny_egress_not_allowlisted");
        assertThat(r.byTool()).containsOnlyKeys("cloned.mcp.web.search@v1");
        assertThat(r.byConnector()).containsOnlyKeys("connector.web.search");
        assertThat(r.budgets()).filteredOn(b -> b.category().equals("api_requests")).singleElement()
            .satisfies(b -> {
                assertThat(b.baselineCharged()).isEqualTo(3);
                assertThat(b.candidateCharged()).isEqualTo(1);
            });
    }

    @Test
    void should_report_the_calls_no_longer_blocked_when_a_candidate_loosens_a_budget() throws IOException {
        PolicyEngine loose = overlay("budgets:\n  api_requests: {period: month, cap: 20000}\n");
        Instant t = Instant.parse("2026-03-02T10:00:00Z");
        List<RecordedCall> calls = recorded(List.of(meter(4000, t), meter(4000, t.plusSeconds(1)),
            meter(4000, t.plusSeconds(2)), echo(t.plusSeconds(3)), meter(4000, t.plusSeconds(4))));

        SimulationReport r = new Simulator(BASELINE, loose, Simulator.Options.defaults()).run(calls);

        assertThat(r.changed()).isEqualTo(2);
        assertThat(r.transitions()).containsExactly(java.util.Map.entry("deny->allow", 2));
        assertThat(r.samples()).extracting(SimulationReport.ChangedCall::seq).containsExactly(3L, 5L);
        assertThat(r.samples().get(0).fromCode()).isEqualTo("budget_exceeded");
        assertThat(r.budgets()).filteredOn(b -> b.category().equals("api_requests")).singleElement()
            .satisfies(b -> {
                assertThat(b.baselineCap()).isEqualTo(10000L);
                assertThat(b.candidateCap()).isEqualTo(20000L);
                assertThat(b.baselineCharged()).isEqualTo(8000);
                assertThat(b.candidateCharged()).isEqualTo(16000);
                assertThat(b.baselineBlocked()).isEqualTo(2);
                assertThat(b.candidateBlocked()).isZero();
                assertThat(b.baselineBlockedUnits()).isEqualTo(8000);
            });
    }

    @Test
    void should_reset_usage_at_each_window_boundary_when_replaying_across_it() throws IOException {
        PolicyEngine hourly = overlay("budgets:\n  api_requests: {period: hour, cap: 10000}\n");
        List<RecordedCall> calls = recorded(List.of(
            meter(6000, Instant.parse("2026-03-31T23:10:00Z")),
            meter(6000, Instant.parse("2026-03-31T23:50:00Z")),   // same month, same hour: blocked on both sides
            meter(6000, Instant.parse("2026-04-01T00:00:00Z")),   // new month and new hour: usage starts again
            meter(6000, Instant.parse("2026-04-01T00:59:59Z")),   // same month, same hour: blocked on both sides
            meter(6000, Instant.parse("2026-04-01T01:00:00Z")))); // same month (blocked), new hour (allowed)

        SimulationReport r = new Simulator(BASELINE, hourly, Simulator.Options.defaults()).run(calls);

        assertThat(r.samples()).extracting(SimulationReport.ChangedCall::seq).containsExactly(5L);
        assertThat(r.transitions()).containsExactly(java.util.Map.entry("deny->allow", 1));
        assertThat(r.budgets()).filteredOn(b -> b.category().equals("api_requests")).singleElement()
            .satisfies(b -> {
                assertThat(b.baselineCharged()).as("6000 in March, 6000 in April").isEqualTo(12000);
                assertThat(b.baselineBlocked()).isEqualTo(3);
                assertThat(b.candidateCharged()).isEqualTo(18000);
                assertThat(b.candidateBlocked()).isEqualTo(2);
            });
    }

    @Test
    void should_fill_windows_but_report_nothing_when_calls_are_warmup() throws IOException {
        PolicyEngine loose = overlay("budgets:\n  api_requests: {period: month, cap: 20000}\n");
        Instant t = Instant.parse("2026-03-02T10:00:00Z");
        List<RecordedCall> calls = new ArrayList<>(recorded(List.of(meter(9000, t), meter(4000, t.plusSeconds(1)))));
        calls.set(0, calls.get(0).asWarmup());

        SimulationReport r = new Simulator(BASELINE, loose, Simulator.Options.defaults()).run(calls);

        assertThat(r.replayed()).isEqualTo(1);
        assertThat(r.samples()).extracting(SimulationReport.ChangedCall::seq).containsExactly(2L);
        assertThat(r.budgets()).filteredOn(b -> b.category().equals("api_requests")).singleElement()
            .satisfies(b -> assertThat(b.candidateCharged()).as("warm-up charges are not reported").isEqualTo(4000));
    }

    @Test
    void should_skip_dry_runs_unless_asked_when_replaying() throws IOException {
        PolicyEngine loose = overlay("budgets:\n  api_requests: {period: month, cap: 20000}\n");
        Instant t = Instant.parse("2026-03-02T10:00:00Z");
        List<RecordedCall> calls = recorded(List.of(meter(9000, t).withDryRun(true), meter(9000, t),
            meter(9000, t).withDryRun(true)));

        SimulationReport skipped = new Simulator(BASELINE, loose, Simulator.Options.defaults()).run(calls);
        SimulationReport included = new Simulator(BASELINE, loose, Simulator.Options.defaults().withDryRuns(true))
            .run(calls);

        assertThat(skipped.replayed()).isEqualTo(1);
        assertThat(skipped.skippedDryRuns()).isEqualTo(2);
        assertThat(included.replayed()).isEqualTo(3);
        // A dry run charges nothing (else #2 would be blocked on the baseline) but is decided against usage (#3).
        assertThat(included.samples()).extracting(SimulationReport.ChangedCall::seq).containsExactly(3L);
    }

    @Test
    void should_give_the_same_report_when_memoized_or_not_and_serial_or_parallel() throws IOException {
        PolicyEngine hourly = overlay("budgets:\n  api_requests: {period: hour, cap: 50}\n"
            + "allowlists:\n  egress_domains: [api.example.com]\n");
        List<CallFacts> facts = new ArrayList<>();
        Instant t = Instant.parse("2026-03-02T10:00:00Z");
        String[] hosts = {"api.duckduckgo.com", "api.example.com", "evil.example"};
        for (int i = 0; i < 600; i++) {
            Instant at = t.plusSeconds(i * 37L);
            facts.add(i % 3 == 0 ? echo(at) : i % 3 == 1 ? meter(i % 7, at) : search(hosts[i % hosts.length], at));
        }
        List<RecordedCall> calls = recorded(facts);

        SimulationReport fast = new Simulator(BASELINE, hourly, Simulator.Options.defaults().withSampleSize(1000))
            .run(calls);
        SimulationReport plain = new Simulator(BASELINE, hourly, Simulator.Options.defaults().withSampleSize(1000)
            .withMemoize(false).withParallel(false)).run(calls);

        assertThat(fast.changed()).isPositive();
        assertThat(fast).usingRecursiveComparison().isEqualTo(plain);
    }

    /** Calls over eight months: a mix of free, metered and egress calls, some out of time order, approvals, dry runs. */
    private static List<RecordedCall> months() {
        java.util.Random rnd = new java.util.Random(11);
        String[] hosts = {"api.duckduckgo.com", "api.example.com", "evil.example"};
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        List<RecordedCall> out = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            Instant at = t.plusSeconds(i * 7200L + rnd.nextInt(14_400)); // neighbours may swap order
            int k = rnd.nextInt(10);
            CallFacts f = k < 3 ? echo(at) : k < 7 ? meter(1 + rnd.nextInt(400), at) : search(hosts[rnd.nextInt(3)], at);
            if (rnd.nextInt(20) == 0) {
                f = f.withDryRun(true);
            }
            Effect recorded = Effect.values()[rnd.nextInt(3)];
            RecordedCall rc = new RecordedCall(i + 1, "call_" + i, f, recorded, rnd.nextInt(10) == 0, true);
            out.add(i < 300 ? rc.asWarmup() : rc);
        }
        return out;
    }

    @Test
    void should_give_the_same_report_when_replaying_budget_windows_in_parts_on_several_threads() throws IOException {
        List<RecordedCall> calls = months();
        List<PolicyEngine> candidates = List.of(
            overlay("budgets:\n  api_requests: {period: day, cap: 300}\n"),
            overlay("budgets:\n  api_requests: {period: week, cap: 2000}\n"),
            overlay("budgets:\n  api_requests: {period: hour, cap: 100}\n  content_publish: {period: day, cap: 5}\n"
                + "  cloud_compute: {period: week, cap: 100}\n  storage: {period: day, cap: 1000}\n"
                + "allowlists:\n  egress_domains: [api.example.com]\n"));
        for (PolicyEngine candidate : candidates) {
            Simulator.Options o = Simulator.Options.defaults().withSampleSize(10_000).withDryRuns(true);

            SimulationReport parts = new Simulator(BASELINE, candidate, o).run(calls);
            SimulationReport serial = new Simulator(BASELINE, candidate, o.withParallel(false)).run(calls);
            SimulationReport plain = new Simulator(BASELINE, candidate, o.withParallel(false).withMemoize(false))
                .run(calls);

            assertThat(parts.changed()).isPositive();
            assertThat(parts).usingRecursiveComparison().isEqualTo(serial).isEqualTo(plain);
        }
    }

    @Test
    void should_split_a_side_only_at_boundaries_no_budget_window_crosses_when_replaying_in_parts() throws IOException {
        List<RecordedCall> calls = months();
        var out = new ReplaySide.Outcome[calls.size()];

        List<Simulator.Part> parts = Simulator.split(BASELINE, false, calls, out);

        assertThat(parts).as("monthly caps over eight months").hasSizeGreaterThan(1);
        assertThat(parts.stream().mapToInt(p -> p.count).sum()).isEqualTo(calls.size());
        assertThat(Simulator.split(overlay("budgets:\n  api_requests: {period: week, cap: 2000}\n"), true, calls, out))
            .as("weeks do not nest in months").hasSize(1);
        assertThat(Simulator.split(BASELINE, false, calls.subList(0, 900), out)).as("too few calls").hasSize(1);
        for (Simulator.Part p : parts) { // each part holds whole months, in the replayed order
            for (int k = 1; k < p.count; k++) {
                assertThat(p.indices[k]).isGreaterThan(p.indices[k - 1]);
            }
        }
    }

    @Test
    void should_read_the_facts_and_recorded_effect_when_parsing_an_audit_line() {
        CallFacts f = search("api.search.brave.com", Instant.parse("2026-03-02T10:00:00Z"));
        var entry = CanonicalJson.MAPPER.createObjectNode().put("seq", 42).put("kind", "decision")
            .put("call_id", "call_x");
        entry.putObject("policy_decision").put("effect", "allow").putArray("reasons").addObject()
            .put("code", "approval_granted").put("rule", "approval:apr_1");
        entry.set("facts", FactsJson.write(f));
        var outcome = entry.deepCopy().put("kind", "outcome");

        RecordedCall rc = AuditRecords.parse(CanonicalJson.write(entry));

        assertThat(rc.seq()).isEqualTo(42);
        assertThat(rc.callId()).isEqualTo("call_x");
        assertThat(rc.facts()).isEqualTo(f);
        assertThat(rc.recorded()).isEqualTo(Effect.ALLOW);
        assertThat(rc.approved()).isTrue();
        assertThat(AuditRecords.parse(CanonicalJson.write(outcome))).isNull();
    }

    @Test
    void should_read_timestamps_exactly_when_parsing_the_fast_path() {
        for (String t : List.of("2026-03-02T10:00:00Z", "2026-03-02T10:00:00.5Z", "2026-12-31T23:59:59.123456789Z",
            "2024-02-29T00:00:00.000001Z")) {
            assertThat(AuditRecords.instant(t)).as(t).isEqualTo(Instant.parse(t));
        }
    }

    @Test
    void should_read_the_same_call_when_the_line_is_not_canonical() {
        CallFacts f = meter(7, Instant.parse("2026-03-02T10:00:00.25Z"));
        var entry = CanonicalJson.MAPPER.createObjectNode().put("seq", 9).put("kind", "decision").put("call_id", "c");
        entry.putObject("policy_decision").put("effect", "deny");
        entry.set("facts", FactsJson.write(f));
        String pretty = entry.toPrettyString();

        assertThat(AuditRecords.parse(pretty)).isEqualTo(AuditRecords.parse(CanonicalJson.write(entry)))
            .isEqualTo(new RecordedCall(9, "c", f, Effect.DENY, false, true));
    }
}
