package dev.cloned.gateway.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.error.ClonedException;
import dev.cloned.gateway.egress.EgressProxy;
import dev.cloned.rules.EgressMatch;
import dev.cloned.rules.egress.EgressPolicy;
import dev.cloned.runtime.connectors.ConnectorInstaller;
import dev.cloned.runtime.connectors.InstalledConnector;
import dev.cloned.runtime.connectors.RegistryEntry;
import dev.cloned.runtime.connectors.ToolSpec;
import dev.cloned.runtime.redact.Redactor;
import dev.cloned.runtime.tools.RegisteredTool;
import dev.cloned.runtime.tools.ToolDescriptor;
import dev.cloned.runtime.tools.ToolRegistry;
import dev.cloned.runtime.vault.VaultRef;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs enabled connectors out of process and offers their tools to the governed path. Each connector's tools are
 * registered from its signed manifest (id, schema, risk, cost, capabilities); its MCP server starts on the first
 * allowed call, with a minimal environment: the egress proxy of that connector and the secrets its manifest declares
 * ({@code vault://} references, resolved at start). Disable stops the process and removes the tools.
 * {@link #reconcile()} brings the running tools in line with the registry file after another process (the CLI)
 * changed it; enable, disable, remove and reconcile are serialized.
 */
public final class ConnectorSupervisor implements AutoCloseable {
    /** Resolves a {@code vault://} reference to its value (the gateway's vault); failures throw. */
    @FunctionalInterface
    public interface Secrets {
        /** The value of the referenced secret. */
        String resolve(VaultRef ref);
    }

    /**
     * What this gateway knows about a connector's process.
     *
     * @param registered whether its tools are offered by this gateway
     * @param pid        the process started last, or null when none was started (they start on the first call)
     * @param alive      whether that process still runs
     * @param failures   starts or calls that failed in a row because the process died or did not start
     * @param retryIn    how long until the next start is allowed (zero when it may start now)
     */
    public record ProcessHealth(boolean registered, Long pid, boolean alive, int failures, Duration retryIn) {
        static final ProcessHealth NOT_REGISTERED = new ProcessHealth(false, null, false, 0, Duration.ZERO);
    }

    /** Category charged by a tool whose manifest says {@code cost: unknown} (it needs approval). */
    public static final String UNKNOWN_COST_CATEGORY = "api_requests";

    private final ConnectorInstaller installer;
    private final ToolRegistry registry;
    private final Secrets secrets;
    private final Supplier<Redactor> redactor;
    private final Clock clock;
    private final Duration timeout;
    private final Supplier<EgressPolicy> egress;
    private final EgressProxy proxy;
    private final Map<String, ConnectorProcess> processes = new ConcurrentHashMap<>();
    /** The registry entry each registered connector was registered from. */
    private final Map<String, RegistryEntry> active = new ConcurrentHashMap<>();
    /** Enabled connectors that did not verify, with the reason already reported. */
    private final Map<String, String> rejected = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Integer>> inFlight = new TreeMap<>();
    private final List<BiConsumer<String, String>> callListeners = new CopyOnWriteArrayList<>();
    private boolean closed;

    /**
     * @param egress the active pack's egress policy, read on every proxied request
     * @param denials told about each request the egress proxy refuses (the gateway audits them)
     */
    public ConnectorSupervisor(ConnectorInstaller installer, ToolRegistry registry, Supplier<EgressPolicy> egress,
                               EgressProxy.DenialSink denials, Secrets secrets, Supplier<Redactor> redactor, Clock clock,
                               Duration timeout) {
        this.installer = installer;
        this.registry = registry;
        this.egress = egress;
        this.secrets = secrets;
        this.redactor = redactor;
        this.clock = clock;
        this.timeout = timeout;
        this.proxy = new EgressProxy(this::checkEgress, denials);
    }

    /** Registers the tools of every enabled connector whose installed copy still verifies. */
    public void registerEnabled() {
        reconcile(); // a connector that no longer verifies offers no tool; `connectors verify` says why
    }

    /** Enables {@code id} (re-verifying it) and registers its tools; returns them. */
    public synchronized List<ToolDescriptor> enable(String id) {
        InstalledConnector c = installer.enable(id);
        rejected.remove(id);
        return register(c);
    }

    /** Disables {@code id}: stops its process, closes its proxy port and removes its tools. */
    public synchronized void disable(String id) {
        stop(id);
        installer.disable(id);
    }

    /** Removes {@code id} after stopping it; returns whether it was installed. */
    public synchronized boolean remove(String id) {
        stop(id);
        return installer.remove(id);
    }

    /**
     * Brings the registered tools in line with the registry: connectors enabled there (and verifying now) are
     * registered, those disabled, removed, reinstalled or no longer verifying are stopped first. Idempotent; returns
     * what changed (a rejection is reported once until its reason changes).
     */
    public synchronized List<ConnectorChange> reconcile() {
        if (closed) {
            return List.of();
        }
        Map<String, RegistryEntry> wanted = new LinkedHashMap<>();
        Map<String, RegistryEntry> installed = new LinkedHashMap<>();
        for (RegistryEntry e : installer.registry().entries()) {
            installed.put(e.id(), e);
            if (e.enabled()) {
                wanted.put(e.id(), e);
            }
        }
        List<ConnectorChange> changes = new ArrayList<>();
        for (String id : List.copyOf(active.keySet())) {
            if (!wanted.containsKey(id)) {
                RegistryEntry was = active.get(id);
                stop(id);
                changes.add(new ConnectorChange(id, installed.containsKey(id) ? ConnectorChange.Kind.DISABLED
                    : ConnectorChange.Kind.REMOVED, was.version(), was.tools(), null, null));
            }
        }
        rejected.keySet().retainAll(wanted.keySet());
        for (RegistryEntry e : wanted.values()) {
            reconcileEnabled(e).ifPresent(changes::add);
        }
        return changes;
    }

    private Optional<ConnectorChange> reconcileEnabled(RegistryEntry e) {
        RegistryEntry was = active.get(e.id());
        InstalledConnector c;
        try {
            c = installer.load(e.id());
        } catch (ClonedException x) {
            if (was != null) {
                stop(e.id());
            }
            String reason = x.getMessage(); // about files, keys and signatures: no secret in it
            if (reason.equals(rejected.put(e.id(), reason)) && was == null) {
                return Optional.empty(); // reported already
            }
            return Optional.of(new ConnectorChange(e.id(), ConnectorChange.Kind.REJECTED, e.version(), List.of(),
                x.code().code(), reason));
        }
        rejected.remove(e.id());
        if (was != null && was.manifestSha256().equals(e.manifestSha256())) {
            return Optional.empty();
        }
        if (was != null) {
            stop(e.id());
        }
        List<String> tools = register(c).stream().map(ToolDescriptor::id).toList();
        return Optional.of(new ConnectorChange(e.id(), was == null ? ConnectorChange.Kind.ENABLED
            : ConnectorChange.Kind.UPDATED, e.version(), tools, null, null));
    }

    /** The process state of {@code id} in this gateway. */
    public ProcessHealth health(String id) {
        ConnectorProcess p = active.containsKey(id) ? processes.get(id) : null;
        return p == null ? ProcessHealth.NOT_REGISTERED : p.health();
    }

    /** The running process of {@code id}, if started and alive. */
    public Optional<ProcessHandle> process(String id) {
        ConnectorProcess p = processes.get(id);
        return p == null ? Optional.empty() : p.process();
    }

    /** Listens to calls about to be sent to a connector process ({@code connectorId, toolId}). */
    public void onCallStarted(BiConsumer<String, String> listener) {
        callListeners.add(listener);
    }

    /** Stops every process and the egress proxy. */
    @Override
    public synchronized void close() {
        closed = true;
        processes.keySet().forEach(id -> processes.get(id).stop());
        proxy.close();
    }

    private void stop(String id) {
        active.remove(id);
        registry.unregisterConnector(id);
        ConnectorProcess p = processes.remove(id);
        if (p != null) {
            p.stop();
        }
        proxy.close(id);
    }

    private List<ToolDescriptor> register(InstalledConnector c) {
        ConnectorProcess process = processes.computeIfAbsent(c.id(), id -> new ConnectorProcess(id,
            () -> installer.load(id), this::environment, redactor, clock, timeout));
        List<ToolDescriptor> out = new ArrayList<>();
        List<RegisteredTool> tools = new ArrayList<>();
        for (ToolSpec spec : c.tools()) {
            ToolDescriptor d = descriptor(c, spec);
            tools.add(new RegisteredTool(d, (in, ctx) -> invoke(process, c.id(), spec, in)));
            out.add(d);
        }
        active.put(c.id(), c.entry());
        registry.replaceConnector(c.id(), tools);
        return out;
    }

    private JsonNode invoke(ConnectorProcess process, String connectorId, ToolSpec spec, JsonNode input) throws Exception {
        track(connectorId, spec.id(), 1);
        try {
            callListeners.forEach(l -> l.accept(connectorId, spec.id()));
            return process.call(spec.mcpName(), input);
        } finally {
            track(connectorId, spec.id(), -1);
        }
    }

    /** The tool descriptor a manifest's tool spec becomes: what the policy decides on. */
    static ToolDescriptor descriptor(InstalledConnector c, ToolSpec spec) {
        Function<JsonNode, Long> cost = spec.costUnknown() ? null : in -> (long) Math.ceil(spec.costEstimate());
        String category = spec.costUnknown() ? UNKNOWN_COST_CATEGORY : spec.costCategory();
        return new ToolDescriptor(spec.id(), spec.description(), c.id(), c.entry().publisherId(),
            c.providesCapabilities(), spec.riskLevel(), category, cost, null, spec.inputSchema());
    }

    /** A new process's whole environment: the proxy for this connector and its declared secrets, nothing else. */
    private Map<String, String> environment(InstalledConnector c) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : c.server().env().entrySet()) {
            String value = secret(c.id(), e.getKey(), VaultRef.parse(e.getValue()));
            redactor.get().registerSecret(value);
            env.put(e.getKey(), value);
        }
        String url = proxy.open(c.id()).toString();
        for (String name : List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")) {
            env.put(name, url);
        }
        env.put("NO_PROXY", "");
        env.put("no_proxy", "");
        env.put("CLONED_CONNECTOR_ID", c.id());
        return env;
    }

    /**
     * One declared secret. A vault that is unreachable or locked, or a missing secret, keeps its error code (the
     * governed path turns it into a denial) with one message naming the connector, the variable and the reference.
     */
    private String secret(String connectorId, String variable, VaultRef ref) {
        try {
            return secrets.resolve(ref);
        } catch (ClonedException e) {
            throw new ClonedException(e.code(), redactor.get().redact("connector " + connectorId + " needs secret " + ref
                + " (as " + variable + ") and cannot get it: " + e.getMessage()
                + "; the connector was not started and the secret is never read from anywhere else"),
                e.hint() == null ? null : redactor.get().redact(e.hint()), e);
        }
    }

    /** Connector scope first, then the tool scope of every call of this connector now in flight. */
    private EgressMatch checkEgress(String connectorId, String host) {
        EgressPolicy policy = egress.get();
        EgressMatch m = policy.resolve(host, null, connectorId);
        if (m.allowed()) {
            return m;
        }
        for (String tool : toolsInFlight(connectorId)) {
            EgressMatch t = policy.resolve(host, tool, connectorId);
            if (t.allowed()) {
                return t;
            }
        }
        return m;
    }

    /** Tool ids of calls of {@code connectorId} now in flight. */
    List<String> toolsInFlight(String connectorId) {
        synchronized (inFlight) {
            return List.copyOf(inFlight.getOrDefault(connectorId, Map.of()).keySet());
        }
    }

    private void track(String connectorId, String toolId, int delta) {
        synchronized (inFlight) {
            Map<String, Integer> tools = inFlight.computeIfAbsent(connectorId, k -> new TreeMap<>());
            int n = tools.getOrDefault(toolId, 0) + delta;
            if (n <= 0) {
                tools.remove(toolId);
            } else {
                tools.put(toolId, n);
            }
        }
    }

}
