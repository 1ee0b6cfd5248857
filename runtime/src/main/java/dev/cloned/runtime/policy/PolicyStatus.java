package dev.cloned.runtime.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.Workspace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The last activation and the last rejection of the workspace's policy, persisted in
 * {@code .cloned/policy-status.json} so that {@code cloned policy status} (another process) can show what a running
 * gateway has active. Written atomically; a missing or unreadable file means nothing was recorded yet.
 *
 * @param active the snapshot activated last, or {@code null}
 * @param lastRejection the change rejected last, or {@code null}
 */
public record PolicyStatus(ActivePolicy.Activation active, ActivePolicy.Rejection lastRejection) {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyStatus.class);

    /** Where the status lives. */
    public static Path file(Workspace ws) {
        return ws.dir().resolve("policy-status.json");
    }

    /** Reads the recorded status (empty values when nothing was recorded). */
    public static PolicyStatus read(Workspace ws) {
        Path f = file(ws);
        if (!Files.isRegularFile(f)) {
            return new PolicyStatus(null, null);
        }
        try {
            JsonNode n = CanonicalJson.MAPPER.readTree(Files.readString(f));
            JsonNode a = n.path("active");
            JsonNode r = n.path("last_rejection");
            ActivePolicy.Activation act = a.isObject() ? new ActivePolicy.Activation(Instant.parse(a.get("at").asText()),
                a.path("hash").asText(), text(a, "previous_hash"), a.path("pack_id").asText(), a.path("origin").asText(),
                a.path("rules").asInt()) : null;
            ActivePolicy.Rejection rej = r.isObject() ? new ActivePolicy.Rejection(Instant.parse(r.get("at").asText()),
                r.path("error").asText(), text(r, "hint"), text(r, "hash")) : null;
            return new PolicyStatus(act, rej);
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring unreadable {}: {}", f, e.toString());
            return new PolicyStatus(null, null);
        }
    }

    /** The status as JSON. */
    public ObjectNode toJson() {
        ObjectNode n = CanonicalJson.MAPPER.createObjectNode();
        if (active != null) {
            n.set("active", active.toJson());
        }
        if (lastRejection != null) {
            n.set("last_rejection", lastRejection.toJson());
        }
        return n;
    }

    /** Whether the last rejection came after the last activation (the rejected change is still not live). */
    public boolean rejectionPending() {
        return lastRejection != null && (active == null || !lastRejection.at().isBefore(active.at()));
    }

    PolicyStatus with(ActivePolicy.Activation a) {
        return new PolicyStatus(a, lastRejection);
    }

    PolicyStatus with(ActivePolicy.Rejection r) {
        return new PolicyStatus(active, r);
    }

    void write(Workspace ws) {
        try {
            Workspace.writeAtomically(file(ws), CanonicalJson.write(toJson()) + "\n");
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot record policy status in {}: {}", file(ws), e.toString());
        }
    }

    Optional<String> activeHash() {
        return Optional.ofNullable(active).map(ActivePolicy.Activation::hash);
    }

    private static String text(JsonNode n, String k) {
        return n.hasNonNull(k) ? n.get(k).asText() : null;
    }
}
