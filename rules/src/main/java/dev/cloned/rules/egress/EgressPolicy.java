package dev.cloned.rules.egress;

import dev.cloned.rules.EgressMatch;
import dev.cloned.rules.pack.PolicyPack;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves an outbound host against a pack's allowlists in the order tool -> connector -> global; the first scope
 * with a matching pattern wins. Everything else is denied.
 */
public final class EgressPolicy {
    private final Map<String, List<String>> byTool;
    private final Map<String, List<String>> byConnector;
    private final List<String> global;
    /** Resolutions already made (the policy is immutable, so a resolution never changes); bounded. */
    private final Map<Call, EgressMatch> resolved = new ConcurrentHashMap<>();

    private record Call(String host, String toolId, String connectorId) {
    }

    private static final int RESOLVED_LIMIT = 4096;

    /** Builds the policy from a loaded pack (patterns are already validated and normalized by the loader). */
    public EgressPolicy(PolicyPack.Allowlists allowlists) {
        this.byTool = allowlists.egressByTool();
        this.byConnector = allowlists.egressByConnector();
        this.global = allowlists.egressDomains();
    }

    /** Resolves {@code host} for a call of {@code toolId} through {@code connectorId} (either may be null). */
    public EgressMatch resolve(String host, String toolId, String connectorId) {
        if (host == null) {
            return compute(null, toolId, connectorId);
        }
        Call k = new Call(host, toolId, connectorId);
        EgressMatch m = resolved.get(k);
        if (m == null) {
            m = compute(host, toolId, connectorId);
            if (resolved.size() >= RESOLVED_LIMIT) {
                resolved.clear();
            }
            resolved.put(k, m);
        }
        return m;
    }

    private EgressMatch compute(String host, String toolId, String connectorId) {
        String h;
        try {
            h = EgressHosts.normalize(host);
        } catch (IllegalArgumentException e) {
            return new EgressMatch(host, false, "none", null, null);
        }
        EgressMatch m = first(h, "tool", toolId, toolId == null ? null : byTool.get(toolId));
        if (m == null) {
            m = first(h, "connector", connectorId, connectorId == null ? null : byConnector.get(connectorId));
        }
        if (m == null) {
            m = first(h, "global", null, global);
        }
        return m != null ? m : new EgressMatch(h, false, "none", null, null);
    }

    private static EgressMatch first(String host, String scope, String subject, List<String> patterns) {
        if (patterns == null) {
            return null;
        }
        for (String p : patterns) {
            if (EgressHosts.matches(p, host)) {
                return new EgressMatch(host, true, scope, subject, p);
            }
        }
        return null;
    }
}
