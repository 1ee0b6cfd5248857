package dev.cloned.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.gateway.connectors.ConnectorChange;
import dev.cloned.gateway.connectors.ConnectorSupervisor;
import dev.cloned.gateway.connectors.ConnectorTools;
import dev.cloned.gateway.connectors.ConnectorWatcher;
import dev.cloned.gateway.core.GovernedCalls;
import dev.cloned.gateway.egress.EgressProxy;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.gateway.tools.BuiltinTools;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.WorkspaceConfig;
import dev.cloned.runtime.approval.Approvals;
import dev.cloned.runtime.audit.AuditEntries;
import dev.cloned.runtime.audit.AuditLog;
import dev.cloned.runtime.audit.AuditVerification;
import dev.cloned.runtime.audit.AuditVerifier;
import dev.cloned.runtime.budget.Budgets;
import dev.cloned.runtime.connectors.ConnectorInstaller;
import dev.cloned.runtime.firewall.Firewall;
import dev.cloned.runtime.policy.ActivePolicy;
import dev.cloned.runtime.policy.PolicyAuditTrail;
import dev.cloned.runtime.redact.Redactor;
import dev.cloned.runtime.store.SqliteStore;
import dev.cloned.runtime.store.Store;
import dev.cloned.runtime.tools.ToolRegistry;
import dev.cloned.runtime.vault.Environment;
import dev.cloned.runtime.vault.Vault;
import dev.cloned.runtime.vault.VaultConfig;
import dev.cloned.runtime.vault.VaultListener;
import dev.cloned.runtime.vault.Vaults;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The composition root for one workspace: opens the store and the audit log, and wires the policy, budgets,
 * approvals, tools and the governed path by constructor. Opening compiles no rule; the first decision does.
 */
public final class ClonedGateway implements AutoCloseable {
    /** Actor of the audit entries the gateway writes when it applies connector changes made elsewhere. */
    public static final String CONNECTORS_ACTOR = "system:connectors";
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
    private final Clock clock;
    private final Environment environment;
    private Redactor redactor;
    private final ConnectorInstaller installer;
    private final ConnectorSupervisor connectors;
    private Vault vault;

    private ClonedGateway(Workspace ws, Clock clock, Environment environment) {
        ws.requireExists();
        this.workspace = ws;
        this.config = ws.config();
        this.store = SqliteStore.open(ws.stateDb());
        this.audit = new AuditLog(ws.auditLog(), store, config.auditSync());
        this.policy = new ActivePolicy(ws, clock);
        this.policy.addListener(new PolicyAuditTrail(audit, config.workspaceId()));
        this.budgets = new Budgets(store);
        this.approvals = new Approvals(store, clock);
        this.firewall = new Firewall(ws, policy);
        this.tools = new ToolRegistry();
        BuiltinTools.register(tools, ws, policy, firewall);
        this.calls = new GovernedCalls(config.workspaceId(), policy, tools, budgets, approvals, audit, clock);
        this.clock = clock;
        this.environment = environment;
        this.installer = new ConnectorInstaller(ws.dir(), () -> policy.loadPack().allowlists().publishers(), clock);
        this.connectors = new ConnectorSupervisor(installer, tools, () -> policy.current().egress(),
            this::auditEgressDenial, ref -> vault().resolve(ref), this::redactor, clock, Duration.ofSeconds(120));
        ConnectorTools.register(tools, connectors);
        connectors.registerEnabled();
    }

    /** Opens the workspace at {@code ws}. */
    public static ClonedGateway open(Workspace ws, Clock clock) {
        return new ClonedGateway(ws, clock, Environment.system());
    }

    /** Opens the workspace at {@code ws}, reading vault settings (passphrase, Azure credentials) from {@code env}. */
    public static ClonedGateway open(Workspace ws, Clock clock, Environment env) {
        return new ClonedGateway(ws, clock, env);
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

    /** Verifies the audit chain and holds it against the index (see {@link AuditVerifier#verify(Path, Store)}). */
    public AuditVerification verifyAudit() {
        audit.awaitFlushed();
        return AuditVerifier.verify(workspace.auditLog(), store);
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

    /**
     * The one redactor of this workspace: every secret the vault hands out is registered with it. Created on first
     * use (it writes the workspace's salt file once), so read-only and dry-run commands write nothing.
     */
    public synchronized Redactor redactor() {
        if (redactor == null) {
            redactor = openRedactor(workspace);
        }
        return redactor;
    }

    /** The environment vault settings are read from (passphrase, Azure credentials). */
    public Environment environment() {
        return environment;
    }

    /**
     * The redactor if this gateway has created it (it then knows every secret the vault handed out); never creates
     * one, so it writes nothing. Used after the gateway is closed, e.g. by the CLI's error lines.
     */
    public synchronized Optional<Redactor> redactorIfCreated() {
        return Optional.ofNullable(redactor);
    }

    /** Installs, verifies and removes connector packages (policy: the pack's allowed publishers). */
    public ConnectorInstaller installer() {
        return installer;
    }

    /** Runs enabled connectors out of process behind the egress proxy. */
    public ConnectorSupervisor connectors() {
        return connectors;
    }

    /**
     * Watches the connector registry, the revocations file and the policy overlay (its allowed publishers), and
     * applies what other processes (the CLI) change there to this gateway without a restart
     * ({@link #reconcileConnectors()}). Close the watcher before the gateway.
     */
    public ConnectorWatcher watchConnectors(Duration interval) {
        return new ConnectorWatcher(List.of(workspace.registryFile(), workspace.revocationsFile(),
            workspace.policyDir().resolve(policy.basePack().packId() + ".yaml")), interval,
            this::reconcileConnectors).start();
    }

    /**
     * Brings the running connectors in line with the registry and audits each change as a {@code system} entry,
     * event {@code connector.reloaded} ({@code {id, change, version, tools, code?, reason?}}).
     */
    public List<ConnectorChange> reconcileConnectors() {
        List<ConnectorChange> changes = connectors.reconcile();
        for (ConnectorChange c : changes) {
            LoggerFactory.getLogger(ClonedGateway.class).info("connector {} {}{}", c.id(), c.kind().label(),
                c.reason() == null ? "" : ": " + c.reason());
            audit.append(AuditEntries.system(clock.instant(), CONNECTORS_ACTOR, config.workspaceId(),
                "connector.reloaded", c.toJson()));
        }
        return changes;
    }

    /**
     * The configured vault, opened on first use (so commands that need no secret never touch it). An unreachable
     * or unopenable vault is {@link ErrorCode#VAULT_UNAVAILABLE}; nothing falls back to another provider.
     */
    public synchronized Vault vault() {
        if (vault == null) {
            @SuppressWarnings("unchecked")
            Map<String, Object> section = CanonicalJson.MAPPER.convertValue(config.vault(), Map.class);
            VaultListener warn = new VaultListener() {
                @Override
                public void warning(String message) {
                    LoggerFactory.getLogger(ClonedGateway.class).warn(message);
                }
            };
            vault = Vaults.open(VaultConfig.fromMap(section), workspace.dir(), environment,
                redactor().vaultListener(warn), clock);
        }
        return vault;
    }

    private void auditEgressDenial(EgressProxy.Denial d) {
        ObjectNode details = CanonicalJson.MAPPER.createObjectNode().put("connector_id", d.connectorId())
            .put("method", d.method()).put("host", d.host()).put("port", d.port()).put("reason", d.match().describe());
        try {
            audit.append(AuditEntries.system(clock.instant(), "connector:" + d.connectorId(), config.workspaceId(),
                "egress.denied", details));
        } catch (ClonedException e) {
            LoggerFactory.getLogger(ClonedGateway.class).error("egress denial not audited: {}", redactor().redact(
                e.getMessage()));
        }
    }

    private static Redactor openRedactor(Workspace ws) {
        try {
            return Redactor.forWorkspace(ws.dir());
        } catch (IOException e) {
            throw new ClonedException(ErrorCode.WORKSPACE_INVALID, "cannot read the redaction salt in " + ws.dir() + ": "
                + e.getMessage(), null, e);
        }
    }

    /** Stops connector processes and the egress proxy, closes the vault, drains the audit log and closes the store. */
    @Override
    public void close() {
        connectors.close();
        synchronized (this) {
            if (vault != null) {
                vault.close();
            }
        }
        audit.close();
        store.close();
    }
}
