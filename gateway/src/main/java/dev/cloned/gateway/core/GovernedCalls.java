package dev.cloned.gateway.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.error.ClonedException;
import dev.cloned.gateway.core.BegunCall.Resume;
import dev.cloned.gateway.core.BegunCall.Step;
import dev.cloned.error.ErrorCode;
import dev.cloned.rules.BudgetState;
import dev.cloned.rules.CallFacts;
import dev.cloned.rules.Decision;
import dev.cloned.rules.Effect;
import dev.cloned.rules.PolicyEngine;
import dev.cloned.rules.Reason;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.rules.json.FactsJson;
import dev.cloned.rules.schema.SchemaValidator;
import dev.cloned.runtime.Ids;
import dev.cloned.runtime.approval.Approval;
import dev.cloned.runtime.approval.Approvals;
import dev.cloned.runtime.audit.AuditEntries;
import dev.cloned.runtime.audit.AuditEntry;
import dev.cloned.runtime.audit.AuditLog;
import dev.cloned.runtime.audit.CallEntry;
import dev.cloned.runtime.budget.Budgets;
import dev.cloned.runtime.policy.ActivePolicy;
import dev.cloned.runtime.tools.CallResult;
import dev.cloned.runtime.tools.RegisteredTool;
import dev.cloned.runtime.tools.ToolCallEnvelope;
import dev.cloned.runtime.tools.ToolCallPort;
import dev.cloned.runtime.tools.ToolDescriptor;
import dev.cloned.runtime.tools.ToolRegistry;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The governed path, implemented once: validate -> enrich -> decide -> approvals -> reserve budget -> audit the
 * decision (fail closed) -> dry run stops -> dispatch -> audit the outcome -> publish. CLI, HTTP, MCP and pipelines
 * all call this class; none re-implements a check.
 */
public final class GovernedCalls implements ToolCallPort {
    private final String workspaceId;
    private final ActivePolicy policy;
    private final ToolRegistry registry;
    private final Budgets budgets;
    private final Approvals approvals;
    private final AuditLog audit;
    private final Dispatcher dispatcher;
    private final Clock clock;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public GovernedCalls(String workspaceId, ActivePolicy policy, ToolRegistry registry, Budgets budgets,
                         Approvals approvals, AuditLog audit, Clock clock) {
        this.workspaceId = workspaceId;
        this.policy = policy;
        this.registry = registry;
        this.budgets = budgets;
        this.approvals = approvals;
        this.audit = audit;
        this.clock = clock;
        this.dispatcher = new Dispatcher(policy);
    }

    /** Subscribes to call events (decisions, outcomes, approvals), e.g. for server-sent events. */
    public void onEvent(Consumer<ObjectNode> listener) {
        onEvent(listener, () -> true);
    }

    /**
     * Subscribes to call events while {@code wanted} says so: events are only built (a JSON tree per entry) when some
     * subscriber wants them, so a gateway nobody streams from pays nothing for its event feed.
     */
    public void onEvent(Consumer<ObjectNode> listener, java.util.function.BooleanSupplier wanted) {
        listeners.add(new Listener(listener, wanted));
    }

    private record Listener(Consumer<ObjectNode> sink, java.util.function.BooleanSupplier wanted) {
    }

    private boolean eventsWanted() {
        for (Listener l : listeners) {
            if (l.wanted().getAsBoolean()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Decides a call exactly as {@link #call} would, with the current budgets, and changes nothing: no audit entry,
     * no charge, no approval request. Used by {@code policy eval} and {@code policy explain}.
     */
    public Decision evaluate(ToolCallEnvelope env) {
        Optional<RegisteredTool> tool = registry.find(env.toolId());
        tool.ifPresent(t -> validateInput(t, env.input()));
        Instant at = clock.instant();
        PolicyEngine engine = policy.current();
        CallFacts facts = facts(env, tool.map(RegisteredTool::descriptor).orElse(null), at);
        return engine.decide(facts, budgetStates(engine, facts, at));
    }

    /**
     * The facts the live path would decide {@code env} on at {@code at} (registry enrichment, input validated),
     * without deciding or changing anything. Used by {@code policy simulate --calls}.
     */
    public CallFacts factsFor(ToolCallEnvelope env, Instant at) {
        Optional<RegisteredTool> tool = registry.find(env.toolId());
        tool.ifPresent(t -> validateInput(t, env.input()));
        return facts(env, tool.map(RegisteredTool::descriptor).orElse(null), at);
    }

    /**
     * Decides a call to a tool that is not registered yet (a catalog connector's tool, before it is installed) as if
     * {@code descriptor} were registered: facts are built exactly as {@link #call} builds them and the same engine
     * decides with the current budgets. Changes nothing and validates no input (a pre-flight has no real input).
     */
    public Decision evaluateAs(ToolDescriptor descriptor, ToolCallEnvelope env) {
        if (!descriptor.id().equals(env.toolId())) {
            throw new IllegalArgumentException("descriptor " + descriptor.id() + " does not match " + env.toolId());
        }
        Instant at = clock.instant();
        PolicyEngine engine = policy.current();
        CallFacts facts = facts(env, descriptor, at);
        return engine.decide(facts, budgetStates(engine, facts, at));
    }

    @Override
    public CallResult call(ToolCallEnvelope env) {
        BegunCall b = begin(env);
        AuditEntry durable;
        try {
            durable = AuditLog.awaitDurable(b.step().durable());
        } catch (ClonedException e) {
            return b.auditDown(e);
        }
        return b.finish(durable, null).join(); // complete already: with no resume, every tool runs on this thread
    }

    /**
     * The governed path without a thread waiting on the audit: everything up to the decision entry runs on the
     * caller's thread (validation errors are thrown there, as by {@link #call}); once that entry is durable, the rest
     * (approval use, dispatch, the outcome entry) runs on {@code continueOn}, which may block (a tool may). Gives the
     * same results, entries and events as {@link #call}.
     */
    public CompletableFuture<CallResult> callAsync(ToolCallEnvelope env, Executor continueOn) {
        return continueAfter(begin(env), continueOn, Resume.on(continueOn));
    }

    /**
     * The governed path for a caller that must never block (an event loop). What cannot block runs on the caller's
     * thread: finding the tool, validating the input, deciding and queuing the decision entry, which is all a free call
     * needs before its audit. What may block runs on {@code blocking}: reading budgets before deciding (a metered
     * tool), looking up or requesting an approval, reserving budget, and everything after the decision entry when the
     * call dispatches a tool that may block. The part after a durable decision entry runs on {@code loop} when it
     * cannot block (a denial, a dry run, a {@linkplain RegisteredTool#nonBlocking() non-blocking} tool, or one with an
     * {@linkplain RegisteredTool#asyncHandler() asynchronous handler}, which is started there and whose outcome is
     * handled on {@code loop} again unless that needs the store). Validation
     * errors are thrown on the caller's thread for a free tool, else they fail the future. Gives the same results,
     * entries and events as {@link #call}.
     */
    public CompletableFuture<CallResult> callNonBlocking(ToolCallEnvelope env, Executor blocking, Executor loop) {
        Optional<RegisteredTool> tool = registry.find(env.toolId());
        PolicyEngine engine = policy.peek().orElse(null);
        boolean metered = tool.isPresent() && tool.get().descriptor().costCategory() != null;
        if (engine == null || metered || audit.refusal().isPresent()) { // compiling, budget reads, index rechecks
            return CompletableFuture.supplyAsync(() -> callAsync(env, blocking), blocking).thenCompose(f -> f);
        }
        tool.ifPresent(t -> validateInput(t, env.input()));
        Decided d = decide(env, tool, Ids.random("call"), engine);
        if (d.touchesStore()) {
            return CompletableFuture.supplyAsync(() -> begun(d, tool, engine), blocking)
                .thenCompose(b -> continueAfter(b, blocking, Resume.on(blocking)));
        }
        boolean starts = d.dispatches() && tool.map(t -> t.asyncHandler() != null).orElse(false);
        boolean blocks = d.dispatches() && !starts && !tool.map(RegisteredTool::nonBlocking).orElse(false);
        // a tool started without waiting is started by the thread that completes the decision entry
        return continueAfter(begun(d, tool, engine), blocks ? blocking : starts ? Runnable::run : loop,
            new Resume(loop, blocking));
    }

    private static CompletableFuture<CallResult> continueAfter(BegunCall b, Executor continueOn, Resume resume) {
        return b.step().durable().handleAsync((durable, failed) -> {
            if (failed == null) {
                return b.finish(durable, resume);
            }
            Throwable c = ClonedException.unwrap(failed);
            if (c instanceof ClonedException ce) {
                return CompletableFuture.completedFuture(b.auditDown(ce));
            }
            throw new CompletionException(c);
        }, continueOn).thenCompose(f -> f);
    }

    private BegunCall begin(ToolCallEnvelope env) {
        Optional<RegisteredTool> tool = registry.find(env.toolId());
        tool.ifPresent(t -> validateInput(t, env.input()));
        PolicyEngine engine = policy.current();
        return begun(decide(env, tool, Ids.random("call"), engine), tool, engine);
    }

    private BegunCall begun(Decided d, Optional<RegisteredTool> tool, PolicyEngine engine) {
        return new BegunCall(d.call().id(), engine.hash(), settle(d, tool, engine));
    }

    /** What one call carries through the path; its hashes are computed once. */
    private record Call(ToolCallEnvelope env, String id, String inputHash, String payloadHash) {
        Call(ToolCallEnvelope env, String id, ToolCallEnvelope.Hashes h) {
            this(env, id, h.input(), h.payload());
        }

        Call(ToolCallEnvelope env, String id) {
            this(env, id, env.hashes());
        }
    }

    /** A call decided, before anything is charged, requested or recorded. */
    private record Decided(Call call, Instant at, CallFacts facts, List<BudgetState> states, Decision decision) {
        /** Whether settling it reads or writes the store: an approval lookup or request, a budget reservation. */
        boolean touchesStore() {
            return decision.effect() == Effect.REQUIRE_APPROVAL || dispatches() && !decision.charges().isEmpty();
        }

        /** Whether an allowed tool runs (unless an approval or the budget stops it first). */
        boolean dispatches() {
            return decision.effect() == Effect.ALLOW && !call.env().dryRun();
        }
    }

    /** Builds the facts and decides; reads the store only for a metered tool's budget. */
    private Decided decide(ToolCallEnvelope env, Optional<RegisteredTool> tool, String callId, PolicyEngine engine) {
        Call c = new Call(env, callId);
        Instant at = clock.instant();
        CallFacts facts = facts(env, tool.map(RegisteredTool::descriptor).orElse(null), at);
        List<BudgetState> states = budgetStates(engine, facts, at);
        return new Decided(c, at, facts, states, engine.decide(facts, states));
    }

    /** Uses or requests an approval, reserves budget and queues the decision entry. */
    private Step settle(Decided d, Optional<RegisteredTool> tool, PolicyEngine engine) {
        Call c = d.call();
        Decision decision = d.decision();
        if (decision.effect() == Effect.REQUIRE_APPROVAL) {
            Approval grant = approvals.forPayload(c.payloadHash()).filter(Approval::usable).orElse(null);
            if (grant == null) {
                return pending(c, d.at(), d.facts(), decision, d.states());
            }
            return allowed(tool, c, d.at(), d.facts(), granted(decision, grant), d.states(), grant, engine);
        }
        return allowed(tool, c, d.at(), d.facts(), decision, d.states(), null, engine);
    }

    private Step allowed(Optional<RegisteredTool> tool, Call c, Instant at, CallFacts facts, Decision decision,
                         List<BudgetState> states, Approval grant, PolicyEngine engine) {
        String callId = c.id();
        if (decision.effect() == Effect.DENY) {
            return recorded(entry("decision", c, at, facts, decision, "blocked", null),
                e -> result(CallResult.Status.DENIED, callId, decision, null, null, null, states, e));
        }
        if (c.env().dryRun()) {
            return recorded(entry("decision", c, at, facts, decision, "dry_run", null),
                e -> result(CallResult.Status.DRY_RUN, callId, decision, preview(decision, states), null, null, states, e));
        }
        Optional<String> overCap = budgets.reserve(engine.pack(), decision.charges(), at);
        if (overCap.isPresent()) {
            Decision d = denyAfterDecision(decision, "budget_exceeded", overCap.get()
                + " has no room left in this window (another call took it first)", "budget_reservation");
            return recorded(entry("decision", c, at, facts, d, "blocked", null),
                e -> result(CallResult.Status.DENIED, callId, d, null, null, null, states, e));
        }
        CallEntry decidedEntry = entry("decision", c, at, facts, decision, null, grant == null ? null : grant.id());
        return new Step(audit.appendAsync(decidedEntry), (decided, resume) -> {
            publish(decidedEntry);
            if (grant != null && !approvals.consume(grant.id(), c.payloadHash(), callId)) {
                budgets.release(engine.pack(), decision.charges(), at);
                Decision d = denyAfterDecision(decision, "approval_used", "approval " + grant.id()
                    + " was already used by another call", "approval_single_use");
                AuditEntry e = record(entry("outcome", c, at, facts, d, "blocked", grant.id()));
                return CompletableFuture.completedFuture(
                    result(CallResult.Status.DENIED, callId, d, null, null, grant.id(), states, e));
            }
            return dispatch(tool.orElseThrow(), c, at, facts, decision, grant, engine, decided, resume);
        }, auditDown -> {
            budgets.release(engine.pack(), decision.charges(), at);
            Decision d = denyAfterDecision(decision, "audit_unavailable", auditDown.getMessage(), "fail_closed");
            return new CallResult(CallResult.Status.DENIED, callId, d, null, auditDown.getMessage(), null, states, 0);
        });
    }

    /** Queues {@code entry}; once it is durable it is published and {@code then} gives the result. */
    private Step recorded(CallEntry entry, Function<AuditEntry, CallResult> then) {
        return new Step(audit.appendAsync(entry), (e, resume) -> {
            publish(entry);
            return CompletableFuture.completedFuture(then.apply(e));
        }, null);
    }

    /**
     * Runs the tool once its decision entry is durable, then queues the outcome entry. The outcome is not waited for:
     * it is written in order by the next group commit (and on close); readers of the audit flush first. Its write
     * cannot undo a call that already ran, so waiting would only add latency. A tool with an asynchronous handler is
     * started here without waiting when the caller does not wait ({@code resume} is not null); its outcome is handled
     * where {@code resume} says, on its cheap executor unless that touches the store (a budget to release or read, an
     * approval to give back, a refusal recorded synchronously).
     */
    private CompletableFuture<CallResult> dispatch(RegisteredTool tool, Call c, Instant at, CallFacts facts,
                                                   Decision decision, Approval grant, PolicyEngine engine,
                                                   AuditEntry decided, Resume resume) {
        long start = System.nanoTime();
        if (resume == null || tool.asyncHandler() == null) {
            Dispatcher.Outcome out = dispatcher.run(tool, c.env().input(), c.id());
            return CompletableFuture.completedFuture(dispatched(out, start, c, at, facts, decision, grant, engine,
                decided));
        }
        boolean store = grant != null || facts.costCategory() != null;
        return dispatcher.start(tool, c.env().input(), c.id(), resume.blocking()).thenCompose(out ->
            CompletableFuture.supplyAsync(() -> dispatched(out, start, c, at, facts, decision, grant, engine, decided),
                store || out.refusal() != null ? resume.blocking() : resume.cheap()));
    }

    /** What follows a tool's run: its budget released if it failed, the outcome entry queued, the result. */
    private CallResult dispatched(Dispatcher.Outcome out, long start, Call c, Instant at, CallFacts facts,
                                  Decision decision, Approval grant, PolicyEngine engine, AuditEntry decided) {
        if (!out.ok()) {
            budgets.release(engine.pack(), decision.charges(), at);
        }
        if (out.refusal() != null) {
            return refused(c, facts, decision, grant, engine, at, out);
        }
        CallEntry e = entry("outcome", c, clock.instant(), facts, decision, out.ok() ? "success" : "failure",
            grant == null ? null : grant.id());
        e.durationUs((System.nanoTime() - start) / 1000);
        if (!out.ok()) {
            e.error(out.error());
        }
        audit.appendAsync(e);
        publish(e);
        List<BudgetState> after = budgetStates(engine, facts, at);
        return new CallResult(out.ok() ? CallResult.Status.SUCCEEDED : CallResult.Status.FAILED, c.id(), decision,
            out.output(), out.error(), grant == null ? null : grant.id(), after, decided.seq());
    }

    /**
     * The tool could not get a secret it needs (vault unreachable or locked, secret missing) and ran nothing: a denial
     * with that code, audited as blocked, never a run without the secret.
     */
    private CallResult refused(Call c, CallFacts facts, Decision decision, Approval grant, PolicyEngine engine,
                               Instant at, Dispatcher.Outcome out) {
        String approvalId = grant == null ? null : grant.id();
        if (grant != null) { // nothing ran: the approval stays usable once the vault is fixed
            approvals.giveBack(grant.id(), c.id(), out.refusal());
        }
        Decision d = denyAfterDecision(decision, out.refusal(), out.error(), "fail_closed");
        AuditEntry e = record(entry("outcome", c, clock.instant(), facts, d, "blocked", approvalId));
        return result(CallResult.Status.DENIED, c.id(), d, null, null, approvalId, budgetStates(engine, facts, at), e);
    }

    private Step pending(Call c, Instant at, CallFacts facts, Decision decision, List<BudgetState> states) {
        ToolCallEnvelope env = c.env();
        String callId = c.id();
        if (env.dryRun()) {
            return recorded(entry("decision", c, at, facts, decision, "dry_run", null),
                e -> result(CallResult.Status.DRY_RUN, callId, decision, preview(decision, states), null, null, states, e));
        }
        List<String> reasons = decision.decisiveReasons().stream().map(Reason::message).toList();
        ObjectNode cost = CanonicalJson.MAPPER.createObjectNode();
        decision.charges().forEach(ch -> cost.put(ch.category(), ch.amount()));
        Approval a = approvals.request(new Approvals.Request(env.actor(), "tool_call", env.toolId(), c.payloadHash(),
            facts.riskLevel(), cost, decision.approvers(), reasons, 1, env.withDryRun(false).toJson()));
        return recorded(entry("decision", c, at, facts, decision, "blocked", a.id()), e -> {
            publish("approval.requested", () -> CanonicalJson.MAPPER.createObjectNode().put("approval_id", a.id())
                .put("tool_id", env.toolId()));
            return result(CallResult.Status.PENDING_APPROVAL, callId, decision, null, null, a.id(), states, e);
        });
    }

    private CallResult result(CallResult.Status status, String callId, Decision d, JsonNode output, String error,
                              String approvalId, List<BudgetState> states, AuditEntry e) {
        return new CallResult(status, callId, d, output, error, approvalId, states, e.seq());
    }

    private AuditEntry record(CallEntry entry) {
        AuditEntry e = audit.append(entry);
        publish(entry);
        return e;
    }

    private void publish(CallEntry entry) {
        publish(entry.kind(), entry::toJson);
    }

    /** Builds the event only when a subscriber wants it. */
    private void publish(String type, java.util.function.Supplier<ObjectNode> payload) {
        if (!eventsWanted()) {
            return;
        }
        ObjectNode ev = CanonicalJson.MAPPER.createObjectNode().put("type", type);
        ev.set("data", payload.get());
        listeners.forEach(l -> l.sink().accept(ev));
    }

    private CallEntry entry(String kind, Call c, Instant at, CallFacts facts, Decision d, String outcome,
                            String approvalId) {
        ToolCallEnvelope env = c.env();
        int atSign = env.toolId().indexOf('@');
        CallEntry e = CallEntry.of(kind)
            .base(Ids.random("aud"), at.toString(), env.actor(), workspaceId)
            .call(c.id(), env.toolId().substring(0, atSign), env.toolId().substring(atSign + 1),
                ToolCallEnvelope.SCHEMA_ID, c.inputHash(), c.payloadHash())
            .decision(AuditEntries.rendered(d, !kind.equals("outcome")), d.effect().wire())
            .costs(AuditEntries.costs(d.charges()))
            .outcome(outcome)
            .dryRun(env.dryRun())
            .approvalId(approvalId);
        if (!kind.equals("outcome")) {
            e.facts(FactsJson.write(facts)); // replay needs the decision's facts; outcomes point at the call
        }
        return e;
    }

    private static CallFacts facts(ToolCallEnvelope env, ToolDescriptor t, Instant at) {
        if (t == null) {
            return new CallFacts(env.toolId(), false, null, null, List.of(), "high", null, null, null, env.actor(), at,
                env.dryRun());
        }
        Long cost = t.costCategory() == null ? null : t.costEstimate() == null ? null : t.costEstimate().apply(env.input());
        String host = t.egressHost() == null ? null : t.egressHost().apply(env.input());
        return new CallFacts(t.id(), true, t.connectorId(), t.publisherId(), t.capabilities(), t.riskLevel(),
            t.costCategory(), cost, host, env.actor(), at, env.dryRun());
    }

    private List<BudgetState> budgetStates(PolicyEngine engine, CallFacts facts, Instant at) {
        if (facts.costCategory() == null) {
            return List.of();
        }
        return budgets.state(engine.pack(), facts.costCategory(), at).map(List::of).orElse(List.of());
    }

    private static void validateInput(RegisteredTool t, JsonNode input) {
        List<String> errors = t.inputViolations(input);
        if (!errors.isEmpty()) {
            String id = t.descriptor().id();
            throw new ClonedException(ErrorCode.INVALID_INPUT, "input for " + id + " is invalid: "
                + String.join("; ", errors), "see the tool's input schema (`cloned tools show " + id + "`)");
        }
    }

    private static Decision granted(Decision d, Approval grant) {
        List<Reason> reasons = new ArrayList<>(d.reasons());
        reasons.add(0, new Reason("approval_granted", "approved by " + grant.decidedBy() + " (" + grant.id() + ")",
            "approval:" + grant.id(), Effect.ALLOW));
        return new Decision(Effect.ALLOW, reasons, d.firedRules(), d.egress(), d.charges(), d.approvers(), d.packHash());
    }

    private static Decision denyAfterDecision(Decision d, String code, String message, String rule) {
        List<Reason> reasons = new ArrayList<>();
        reasons.add(new Reason(code, message, rule, Effect.DENY));
        reasons.addAll(d.reasons());
        return new Decision(Effect.DENY, reasons, d.firedRules(), d.egress(), d.charges(), List.of(), d.packHash());
    }

    private static ObjectNode preview(Decision d, List<BudgetState> states) {
        ObjectNode p = CanonicalJson.MAPPER.createObjectNode();
        p.put("would", d.effect() == Effect.ALLOW ? "dispatch" : d.effect().wire());
        p.set("charges", AuditEntries.costs(d.charges()));
        p.set("approvers", CanonicalJson.MAPPER.valueToTree(d.approvers()));
        p.set("fired_rules", CanonicalJson.MAPPER.valueToTree(d.firedRuleNames()));
        p.set("budgets", CanonicalJson.MAPPER.valueToTree(states));
        return p;
    }
}
