package dev.cloned.runtime.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.rules.json.CanonicalText;

/**
 * A decision or outcome entry of a tool call, rendered straight to canonical JSON: the field set is fixed, so its keys
 * are written in sorted order without building and sorting a tree first. The text is the same as rendering the
 * equivalent {@code ObjectNode} (a test holds the two equal). Every call writes one or two of these, so this is the
 * audit's hot path; system entries keep the general {@link AuditLog#appendAsync(com.fasterxml.jackson.databind.node.ObjectNode)}.
 */
public final class CallEntry {
    private static final int MAX_RETAINED_CHARS = 64 * 1024;
    /** Per thread, the three fragments' builders, reused: rendering is the audit's hot path (no growth, no garbage). */
    private static final ThreadLocal<StringBuilder[]> BUILDERS = ThreadLocal.withInitial(
        () -> new StringBuilder[] {new StringBuilder(256), new StringBuilder(2048), new StringBuilder(256)});
    private final String kind;
    private String id;
    private String timestamp;
    private String actor;
    private String workspaceId;
    private String callId;
    private String toolId;
    private String toolVersion;
    private String schemaId;
    private String inputHash;
    private String payloadHash;
    private CanonicalText decision;
    private String effect;
    private JsonNode costs;
    private String outcome;
    private boolean dryRun;
    private String approvalId;
    private JsonNode facts;
    private Long durationUs;
    private String error;

    private CallEntry(String kind) {
        this.kind = kind;
    }

    /** A {@code decision} or {@code outcome} entry. */
    public static CallEntry of(String kind) {
        if (!kind.equals("decision") && !kind.equals("outcome")) {
            throw new IllegalArgumentException("a call entry is a decision or an outcome, not " + kind);
        }
        return new CallEntry(kind);
    }

    public CallEntry base(String id, String timestamp, String actor, String workspaceId) {
        this.id = id;
        this.timestamp = timestamp;
        this.actor = actor;
        this.workspaceId = workspaceId;
        return this;
    }

    public CallEntry call(String callId, String toolId, String toolVersion, String schemaId, String inputHash,
                          String payloadHash) {
        this.callId = callId;
        this.toolId = toolId;
        this.toolVersion = toolVersion;
        this.schemaId = schemaId;
        this.inputHash = inputHash;
        this.payloadHash = payloadHash;
        return this;
    }

    /** The rendered {@code policy_decision} and its effect (for the store's column). */
    public CallEntry decision(CanonicalText rendered, String effect) {
        this.decision = rendered;
        this.effect = effect;
        return this;
    }

    public CallEntry costs(JsonNode costs) {
        this.costs = costs;
        return this;
    }

    /** The outcome, or {@code null} for a decision that lets the call go on. */
    public CallEntry outcome(String outcome) {
        this.outcome = outcome;
        return this;
    }

    public CallEntry dryRun(boolean dryRun) {
        this.dryRun = dryRun;
        return this;
    }

    public CallEntry approvalId(String approvalId) {
        this.approvalId = approvalId;
        return this;
    }

    public CallEntry facts(JsonNode facts) {
        this.facts = facts;
        return this;
    }

    public CallEntry durationUs(long us) {
        this.durationUs = us;
        return this;
    }

    public CallEntry error(String error) {
        this.error = error;
        return this;
    }

    public String id() {
        return id;
    }

    public String kind() {
        return kind;
    }

    /** The entry as JSON (without {@code seq} and chain fields), for event listeners. */
    public com.fasterxml.jackson.databind.node.ObjectNode toJson() {
        PreparedEntry p = prepare();
        try {
            return (com.fasterxml.jackson.databind.node.ObjectNode) CanonicalJson.MAPPER.readTree(p.bodyWithout());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read back a rendered audit entry", e);
        }
    }

    /** Renders the entry into the three fragments the log splices its own fields between. */
    PreparedEntry prepare() {
        StringBuilder[] sb = BUILDERS.get();
        for (int i = 0; i < sb.length; i++) {
            if (sb[i].capacity() > MAX_RETAINED_CHARS) { // one huge entry must not pin its buffer to the thread
                sb[i] = new StringBuilder(1024);
            }
            sb[i].setLength(0);
        }
        StringBuilder a = sb[0];
        field(a, "actor", actor);
        if (approvalId != null) {
            field(a, "approval_id", approvalId);
        }
        field(a, "call_id", callId);
        StringBuilder b = sb[1];
        name(b, "costs");
        CanonicalJson.write(b, costs);
        name(b, "dry_run");
        b.append(dryRun);
        if (durationUs != null) {
            name(b, "duration_us");
            b.append(durationUs.longValue());
        }
        if (error != null) {
            field(b, "error", error);
        }
        if (facts != null) {
            name(b, "facts");
            CanonicalJson.write(b, facts);
        }
        field(b, "id", id);
        field(b, "input_hash", inputHash);
        field(b, "kind", kind);
        if (outcome == null) {
            name(b, "outcome");
            b.append("null");
        } else {
            field(b, "outcome", outcome);
        }
        field(b, "payload_hash", payloadHash);
        name(b, "policy_decision");
        b.append(decision.text());
        field(b, "schema_id", schemaId);
        StringBuilder c = sb[2];
        field(c, "timestamp", timestamp);
        field(c, "tool_id", toolId);
        field(c, "tool_version", toolVersion);
        field(c, "workspace_id", workspaceId);
        return new PreparedEntry(a, b, c, id, timestamp, kind, callId, toolId, effect, outcome, dryRun);
    }

    private static void field(StringBuilder sb, String name, String value) {
        name(sb, name);
        if (value == null) {
            sb.append("null");
        } else {
            CanonicalJson.quote(sb, value);
        }
    }

    private static void name(StringBuilder sb, String name) {
        if (sb.length() > 0) {
            sb.append(',');
        }
        sb.append('"').append(name).append("\":");
    }
}
