package dev.cloned.runtime.policy;

import dev.cloned.rules.BudgetPeriod;
import dev.cloned.rules.PolicyEngine;
import dev.cloned.rules.Policies;
import dev.cloned.rules.pack.PolicyPack;
import dev.cloned.rules.simulate.AuditRecords;
import dev.cloned.rules.simulate.CandidatePacks;
import dev.cloned.rules.simulate.RecordedCall;
import dev.cloned.rules.simulate.SimulationReport;
import dev.cloned.rules.simulate.Simulator;
import dev.cloned.runtime.audit.AuditLines;
import dev.cloned.runtime.store.AuditRow;
import dev.cloned.runtime.store.Store;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code cloned policy simulate} as a service: loads recorded decisions (found with the store's audit index, read
 * from the audit log), loads the candidate the way the live path would, and replays both through compiled engines
 * (the same ones live calls use).
 */
public final class PolicySimulation {
    private final ActivePolicy policy;
    private final Clock clock;

    public PolicySimulation(ActivePolicy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    /** The candidate pack for {@code --candidate PATH} (see {@link CandidatePacks}). */
    public PolicyPack candidate(Path path) {
        return CandidatePacks.load(path, policy.basePack(), policy.workspace().policyDir());
    }

    /** Compiles the candidate (cached like any pack); throws {@code INVALID_POLICY} with file:line when it is broken. */
    public PolicyEngine compile(PolicyPack candidate) {
        return Policies.compile(candidate, policy.workspace().rulesCacheDir(), clock);
    }

    /**
     * Recorded decisions in [since, until), oldest first, at most {@code limit}. When {@code since} is given, the
     * decisions from the start of the earliest budget window containing it are added first as warm-up, so budget
     * usage at {@code since} is what it was live.
     */
    public List<RecordedCall> history(Store store, Instant since, Instant until, int limit, List<PolicyPack> packs) {
        List<RecordedCall> out = new ArrayList<>();
        if (since != null) {
            Instant warm = since;
            for (PolicyPack p : packs) {
                for (PolicyPack.BudgetSpec b : p.budgets().values()) {
                    Instant s = BudgetPeriod.fromWire(b.period()).windowStart(since);
                    warm = s.isBefore(warm) ? s : warm;
                }
            }
            if (warm.isBefore(since)) {
                for (RecordedCall rc : AuditRecords.parseAll(lines(store.auditBetween(warm, since, "decision",
                    Integer.MAX_VALUE)))) {
                    out.add(rc.asWarmup());
                }
            }
        }
        out.addAll(AuditRecords.parseAll(lines(store.auditBetween(since, until, "decision", limit))));
        return out;
    }

    private List<String> lines(List<AuditRow> rows) {
        return AuditLines.read(policy.workspace().auditLog(), rows);
    }

    /** Replays {@code calls} through the active engine (baseline) and {@code candidate}. */
    public SimulationReport run(PolicyEngine candidate, List<RecordedCall> calls, Simulator.Options options) {
        return new Simulator(policy.current(), candidate, options).run(calls);
    }
}
