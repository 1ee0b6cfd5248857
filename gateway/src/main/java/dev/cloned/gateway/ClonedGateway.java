package dev.cloned.gateway;

import dev.cloned.gateway.core.GovernedCalls;
import dev.cloned.gateway.tools.BuiltinTools;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.WorkspaceConfig;
import dev.cloned.runtime.approval.Approvals;
import dev.cloned.runtime.audit.AuditLog;
import dev.cloned.runtime.budget.Budgets;
import dev.cloned.runtime.firewall.Firewall;
import dev.cloned.runtime.policy.ActivePolicy;
import dev.cloned.runtime.policy.PolicyAuditTrail;
import dev.cloned.runtime.store.SqliteStore;
import dev.cloned.runtime.store.Store;
import dev.cloned.runtime.tools.ToolRegistry;

import java.time.Clock;

/**
 * The composition root for one workspace: opens the store and the audit log, and wires the policy, budgets,
 * approvals, tools and the governed path by constructor. Opening compiles no rule; the first decision does.
 */
public final class ClonedGateway implements AutoCloseable {
    private final Workspace workspace;
    private final WorkspaceConfig config;
    private final Store store;
    private final AuditLog audit;
    private final ActivePolicy policy;
    private final Budgets budgets;
    private final Approvals approvals;
    private final Firewall firewall;
    private final ToolRegistry tools;
    private final GovernedCalls calls;

    private ClonedGateway(Workspace ws, Clock clock) {
        ws.requireExists();
        this.workspace = ws;
        this.config = ws.config();
        this.store = SqliteStore.open(ws.stateDb());
        this.audit = new AuditLog(ws.auditLog(), store);
        this.policy = new ActivePolicy(ws, clock);
        this.policy.addListener(new PolicyAuditTrail(audit, config.workspaceId()));
        this.budgets = new Budgets(store);
        this.approvals = new Approvals(store, clock);
        this.firewall = new Firewall(ws, policy);
        this.tools = new ToolRegistry();
        BuiltinTools.register(tools, ws, policy, firewall);
        this.calls = new GovernedCalls(config.workspaceId(), policy, tools, budgets, approvals, audit, clock);
    }

    /** Opens the workspace at {@code ws}. */
    public static ClonedGateway open(Workspace ws, Clock clock) {
        return new ClonedGateway(ws, clock);
    }

    public Workspace workspace() {
        return workspace;
    }

    public WorkspaceConfig config() {
        return config;
    }

    public Store store() {
        return store;
    }

    public AuditLog audit() {
        return audit;
    }

    public ActivePolicy policy() {
        return policy;
    }

    public Budgets budgets() {
        return budgets;
    }

    public Approvals approvals() {
        return approvals;
    }

    public Firewall firewall() {
        return firewall;
    }

    public ToolRegistry tools() {
        return tools;
    }

    /** The governed path. */
    public GovernedCalls calls() {
        return calls;
    }

    /** Drains the audit log and closes the store. */
    @Override
    public void close() {
        audit.close();
        store.close();
    }
}
