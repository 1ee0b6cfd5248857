package dev.cloned.rules.drools;

import dev.cloned.rules.BudgetState;
import dev.cloned.rules.CallFacts;
import dev.cloned.rules.Decision;
import dev.cloned.rules.EgressMatch;
import dev.cloned.rules.Effect;
import dev.cloned.rules.FiredRule;
import dev.cloned.rules.PolicyEngine;
import dev.cloned.rules.Reason;
import dev.cloned.rules.egress.EgressPolicy;
import dev.cloned.rules.fact.ApprovalRule;
import dev.cloned.rules.fact.Budget;
import dev.cloned.rules.fact.Egress;
import dev.cloned.rules.fact.PackData;
import dev.cloned.rules.fact.ToolCall;
import dev.cloned.rules.fact.Verdicts;
import dev.cloned.rules.pack.PolicyPack;
import dev.cloned.rules.pack.RuleSource;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.KieSessionConfiguration;
import org.kie.api.runtime.conf.ThreadSafeOption;
import org.kie.api.runtime.rule.FactHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A compiled policy snapshot backed by a Drools KieBase. Each thread decides on its own reusable session (facts in,
 * rules fired, facts out), so the snapshot is safe to share between threads.
 */
final class DroolsPolicyEngine implements PolicyEngine {
    private static final Logger LOG = LoggerFactory.getLogger(DroolsPolicyEngine.class);

    private final PolicyPack pack;
    private final String hash;
    private final KieBase base;
    private final List<RuleInfo> rules;
    private final Map<String, String> sourceByRule;
    private final Instant activatedAt;
    private final boolean fromCache;
    private final EgressPolicy egress;
    private final PackData packData;
    private final List<ApprovalRule> approvalRules;
    private final ThreadLocal<Slot> slots = ThreadLocal.withInitial(Slot::new);
    /** Whether each session keeps the facts that are the same for every call (see {@link Slot}). */
    private final boolean constantsStay;
    /** Decisions by facts; {@code null} when a rule reads the clock or randomness (see {@link #readsClock}). */
    private final Map<Key, Decision> memo;

    DroolsPolicyEngine(PolicyPack pack, String hash, KieBase base, List<RuleInfo> rules, Instant activatedAt,
                       boolean fromCache) {
        this.pack = pack;
        this.hash = hash;
        this.base = base;
        this.rules = List.copyOf(rules);
        this.sourceByRule = rules.stream().collect(Collectors.toMap(RuleInfo::name, RuleInfo::source, (a, b) -> a));
        this.activatedAt = activatedAt;
        this.fromCache = fromCache;
        this.egress = new EgressPolicy(pack.allowlists());
        this.packData = new PackData(pack);
        List<ApprovalRule> ar = new ArrayList<>();
        for (int i = 0; i < pack.approvalRules().size(); i++) {
            ar.add(new ApprovalRule(i, pack.approvalRules().get(i)));
        }
        this.approvalRules = List.copyOf(ar);
        this.constantsStay = !firesOnConstantsAlone();
        String clocked = readsClock(pack);
        if (clocked != null) {
            LOG.warn("pack {}: {} reads the clock or randomness; decisions are not memoized for this pack",
                pack.packId(), clocked);
        }
        this.memo = clocked == null ? new ConcurrentHashMap<>() : null;
    }

    /**
     * The facts a decision depends on: the rules see no time (the fact types expose none), so the call time is left
     * out and identical calls share one decision. Only calls without budget state are memoized.
     */
    private record Key(String toolId, boolean registered, String connectorId, String publisherId,
                       List<String> capabilities, String riskLevel, String costCategory, Long costEstimate,
                       String egressHost, String actor, boolean dryRun) {
        static Key of(CallFacts f) {
            return new Key(f.toolId(), f.registered(), f.connectorId(), f.publisherId(), f.capabilities(),
                f.riskLevel(), f.costCategory(), f.costEstimate(), f.egressHost(), f.actor(), f.dryRun());
        }
    }

    /** The facts every call of this snapshot shares; {@code out} is the session's own. */
    private List<Object> constants(Verdicts out) {
        List<Object> all = new ArrayList<>(approvalRules.size() + 2);
        all.add(packData);
        all.addAll(approvalRules);
        all.add(out);
        return all;
    }

    /** Whether some rule fires in a session that holds only the constant facts (e.g. one on {@code not ToolCall()}). */
    private boolean firesOnConstantsAlone() {
        KieSession probe = base.newKieSession(threadConfined(), null);
        try {
            for (Object f : constants(new Verdicts())) {
                probe.insert(f);
            }
            return probe.fireAllRules() > 0;
        } catch (RuntimeException e) {
            return true; // a rule that throws there: decide the plain way, where the error belongs to a call
        } finally {
            probe.dispose();
        }
    }

    /**
     * Sessions here are used by one thread only (one per thread, or the probe): without Drools' thread-safe
     * propagation list, an insert no longer takes a monitor and calls {@code notifyAll}.
     */
    private static KieSessionConfiguration threadConfined() {
        KieSessionConfiguration conf = KieServices.get().newKieSessionConfiguration();
        conf.setOption(ThreadSafeOption.NO);
        return conf;
    }

    private static final int MEMO_LIMIT = 4096;
    private static final Pattern CLOCK = Pattern.compile(
        "\\b(?:currentTimeMillis|nanoTime|now|randomUUID)\\s*\\(|\\bnew\\s+(?:java\\.util\\.)?(?:Date|Random)\\s*\\("
            + "|\\b(?:Math\\.random|ThreadLocalRandom)\\b");

    /** The first rule file that reads the clock or randomness, or {@code null}: such a pack is not memoized. */
    static String readsClock(PolicyPack pack) {
        for (RuleSource s : pack.rules()) {
            if (CLOCK.matcher(s.content()).find()) {
                return s.name();
            }
        }
        return null;
    }

    @Override
    public EgressPolicy egress() {
        return egress; // one per snapshot, so its resolutions are kept across calls
    }

    @Override
    public boolean deterministic() {
        return memo != null;
    }

    @Override
    public Decision decide(CallFacts facts, List<BudgetState> budgets) {
        try {
            if (memo == null || !budgets.isEmpty()) {
                return evaluate(facts, budgets); // metered calls: usage changes with every call, a memo would only churn
            }
            Key k = Key.of(facts);
            Decision d = memo.get(k);
            if (d == null) {
                d = evaluate(facts, budgets);
                if (memo.size() >= MEMO_LIMIT) {
                    memo.clear();
                }
                memo.put(k, d);
            }
            return d;
        } catch (RuntimeException e) {
            LOG.error("policy evaluation failed for {}: {}", facts.toolId(), e.toString());
            return Decision.denyBySystem("policy_error", "the policy engine failed while deciding: " + e.getMessage(), hash);
        }
    }

    private Decision evaluate(CallFacts facts, List<BudgetState> budgets) {
        List<Object> perCall = new ArrayList<>(2 + budgets.size());
        perCall.add(new ToolCall(facts, pack.tier()));
        for (BudgetState b : budgets) {
            perCall.add(new Budget(b));
        }
        EgressMatch eg = null;
        if (facts.egressHost() != null) {
            eg = egress.resolve(facts.egressHost(), facts.toolId(), facts.connectorId());
            perCall.add(new Egress(eg));
        }
        Slot slot = slots.get();
        try {
            return combine(slot.run(perCall), slot.fired, eg);
        } catch (RuntimeException e) {
            slot.broken = true; // a session whose rule threw may hold facts: never reuse it
            throw e;
        } finally {
            if (slot.broken) {
                slots.remove();
                slot.dispose();
            }
        }
    }

    /**
     * One stateful session per thread, reused across decisions. What is the same for every call of this snapshot
     * (the pack's data, its approval rules and the {@link Verdicts} the rules write to) is inserted once, when the
     * session is made; a decision inserts only its own facts (the call, budgets, egress), fires, and deletes them
     * again, together with anything a rule inserted, so no state survives a decision. Re-inserting the constant
     * facts for every call was most of a decision's work: each one joins into every rule that names its type.
     * A pack with a rule that fires on the constant facts alone (no call in the session) cannot keep them: that
     * rule would fire once per session instead of once per call, so such a pack inserts them for every call.
     */
    private final class Slot {
        private final KieSession session = base.newKieSession(threadConfined(), null);
        private final List<FiredRule> fired = new ArrayList<>();
        private final List<FactHandle> handles = new ArrayList<>(8);
        private final Set<FactHandle> constant = Collections.newSetFromMap(new IdentityHashMap<>());
        private final Verdicts out = new Verdicts();
        /** A rule threw, or deleted a constant fact: the session no longer decides like a fresh one. */
        private boolean broken;

        Slot() {
            session.addEventListener(new DefaultAgendaEventListener() {
                @Override
                public void afterMatchFired(AfterMatchFiredEvent event) {
                    String name = event.getMatch().getRule().getName();
                    List<Object> objects = event.getMatch().getObjects();
                    List<String> matched = new ArrayList<>(objects.size());
                    for (Object o : objects) {
                        if (!(o instanceof Verdicts)) {
                            matched.add(String.valueOf(o));
                        }
                    }
                    fired.add(new FiredRule(name, sourceByRule.getOrDefault(name, "?"), matched));
                }
            });
            if (constantsStay) {
                for (Object f : constants(out)) {
                    constant.add(session.insert(f));
                }
            }
        }

        /** Fires the rules over this call's own facts; {@link #fired} then holds what fired. */
        Verdicts run(List<Object> perCall) {
            fired.clear();
            out.reset();
            try {
                if (!constantsStay) {
                    for (Object f : constants(out)) {
                        handles.add(session.insert(f));
                    }
                }
                for (Object f : perCall) {
                    handles.add(session.insert(f));
                }
                session.fireAllRules();
                return out;
            } finally {
                for (FactHandle h : handles) {
                    session.delete(h);
                }
                handles.clear();
                if (session.getFactCount() != constant.size()) {
                    removeStrays();
                }
            }
        }

        /** Deletes what a rule inserted (none may outlive the call); a deleted constant fact breaks the session. */
        private void removeStrays() {
            for (FactHandle h : new ArrayList<FactHandle>(session.<FactHandle>getFactHandles())) {
                if (!constant.contains(h)) {
                    session.delete(h);
                }
            }
            broken = session.getFactCount() != constant.size();
        }

        void dispose() {
            session.dispose();
        }
    }

    private Decision combine(Verdicts out, List<FiredRule> firedNow, EgressMatch eg) {
        List<FiredRule> fired = List.copyOf(firedNow);
        List<Reason> reasons = new ArrayList<>(out.reasons());
        boolean anyAllow = reasons.stream().anyMatch(r -> r.effect() == Effect.ALLOW);
        Effect effect = anyAllow ? Effect.ALLOW : Effect.DENY;
        if (!anyAllow) {
            reasons.add(new Reason("not_allowed", "no rule allows this call", "default_deny", Effect.DENY));
        }
        for (Reason r : reasons) {
            effect = effect.strongest(r.effect());
        }
        reasons.sort(Comparator.comparing(Reason::effect, Comparator.reverseOrder()));
        List<String> approvers = effect == Effect.REQUIRE_APPROVAL ? out.approvers() : List.of();
        return new Decision(effect, reasons, fired, eg, out.charges(), approvers, hash);
    }

    @Override
    public PolicyPack pack() {
        return pack;
    }

    @Override
    public String hash() {
        return hash;
    }

    @Override
    public Instant activatedAt() {
        return activatedAt;
    }

    @Override
    public List<RuleInfo> rules() {
        return rules;
    }

    @Override
    public String origin() {
        return fromCache ? "cache" : "compiled";
    }
}
