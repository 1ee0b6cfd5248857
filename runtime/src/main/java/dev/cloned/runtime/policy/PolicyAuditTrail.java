package dev.cloned.runtime.policy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.runtime.audit.AuditEntries;
import dev.cloned.runtime.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records policy activations and rejections in the audit as {@code system} entries ({@code policy.activated},
 * {@code policy.rejected}, with the error and its file:line). Register it with {@link ActivePolicy#addListener}.
 */
public final class PolicyAuditTrail implements PolicyListener {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyAuditTrail.class);
    /** The actor recorded for policy changes the gateway itself applies. */
    public static final String ACTOR = "system:policy";

    private final AuditLog audit;
    private final String workspaceId;

    public PolicyAuditTrail(AuditLog audit, String workspaceId) {
        this.audit = audit;
        this.workspaceId = workspaceId;
    }

    @Override
    public void activated(ActivePolicy.Activation a) {
        append(AuditEntries.system(a.at(), ACTOR, workspaceId, "policy.activated", a.toJson()));
    }

    @Override
    public void rejected(ActivePolicy.Rejection r) {
        append(AuditEntries.system(r.at(), ACTOR, workspaceId, "policy.rejected", r.toJson()));
    }

    private void append(ObjectNode entry) {
        try {
            audit.append(entry);
        } catch (RuntimeException e) {
            LOG.error("cannot audit {}: {}", entry.path("event").asText(), e.getMessage());
        }
    }
}
