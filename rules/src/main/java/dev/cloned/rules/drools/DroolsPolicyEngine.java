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
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.FactHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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
        Verdicts out = new Verdicts();
        List<Object> facts2 = new ArrayList<>(8 + approvalRules.size() + budgets.size());
        facts2.add(new ToolCall(facts, pack.tier()));
        facts2.add(packData);
        facts2.add(out);
        facts2.addAll(approvalRules);
        for (BudgetState b : budgets) {
            facts2.add(new Budget(b));
        }
        EgressMatch eg = null;
        if (facts.egressHost() != null) {
            eg = egress.resolve(facts.egressHost(), facts.toolId(), facts.connectorId());
            facts2.add(new Egress(eg));
        }
        Slot slot = slots.get();
        List<FiredRule> fired;
        try {
            fired = slot.run(facts2);
        } catch (RuntimeException e) {
            slots.remove(); // a session whose rule threw may hold facts: never reuse it
            slot.dispose();
            throw e;
        }
        return combine(out, fired, eg);
    }

    /**
     * One stateful session per thread, reused across decisions: facts are inserted, rules fired, and every fact
     * retracted again, so no state survives a decision. Creating a session per call costs more than deciding.
     */
    private final class Slot {
        private final KieSession session = base.newKieSession();
        private final List<FiredRule> fired = new ArrayList<>();
        private final List<FactHandle> handles = new ArrayList<>();

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
        }

        List<FiredRule> run(List<Object> facts) {
            fired.clear();
            try {
                for (Object f : facts) {
                    handles.add(session.insert(f));
                }
                session.fireAllRules();
                return List.copyOf(fired);
            } finally {
                for (FactHandle h : handles) {
                    session.delete(h);
                }
                handles.clear();
                if (session.getFactCount() > 0) { // a custom rule inserted facts of its own: none may outlive the call
                    for (FactHandle h : new ArrayList<FactHandle>(session.<FactHandle>getFactHandles())) {
                        session.delete(h);
                    }
                }
            }
        }

        void dispose() {
            session.dispose();
        }
    }

    private Decision combine(Verdicts out, List<FiredRule> fired, EgressMatch eg) {
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
