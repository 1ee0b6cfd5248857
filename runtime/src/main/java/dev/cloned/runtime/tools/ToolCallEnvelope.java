package dev.cloned.runtime.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.rules.schema.SchemaValidator;

import java.util.Objects;

/**
 * A request to call a tool, as every entry point (CLI, HTTP, MCP, pipelines) hands it to the gateway. Validated
 * against {@code schemas/tool_call_envelope.schema.json} before it touches any state.
 *
 * @param toolId full tool id with version, e.g. {@code cloned.internal.echo@v1}
 * @param input the tool's input (a JSON object)
 * @param actor who asks, e.g. {@code cli:alice} or {@code mcp:claude-desktop}
 * @param dryRun decide and record, but dispatch and charge nothing
 * @param requestId caller's id for idempotent retries and correlation, or null
 */
public record ToolCallEnvelope(String toolId, JsonNode input, String actor, boolean dryRun, String requestId) {
    /** The envelope schema id recorded in the audit. */
    public static final String SCHEMA_ID = "cloned.tool_call_envelope/v1";

    public ToolCallEnvelope {
        Objects.requireNonNull(toolId, "toolId");
        input = input == null ? CanonicalJson.MAPPER.createObjectNode() : input;
        actor = actor == null ? "anonymous" : actor;
    }

    /** Parses and validates an envelope document; a malformed one is rejected with the field at fault. */
    public static ToolCallEnvelope parse(JsonNode doc) {
        SchemaValidator.require("tool_call_envelope.schema.json", doc, "tool-call envelope", ErrorCode.INVALID_ENVELOPE);
        return new ToolCallEnvelope(doc.get("tool_id").asText(), doc.get("input"), doc.path("actor").asText(null),
            doc.path("dry_run").asBoolean(false), doc.path("request_id").asText(null));
    }

    /** Parses envelope JSON text. */
    public static ToolCallEnvelope parse(String json) {
        try {
            return parse(CanonicalJson.MAPPER.readTree(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ClonedException(ErrorCode.INVALID_ENVELOPE, "tool-call envelope is not valid JSON: "
                + e.getOriginalMessage(), "send a JSON object like {\"tool_id\": \"cloned.internal.echo@v1\", \"input\": {}}");
        }
    }

    /** The envelope as a JSON document. */
    public ObjectNode toJson() {
        ObjectNode n = CanonicalJson.MAPPER.createObjectNode();
        n.put("schema_id", SCHEMA_ID);
        n.put("tool_id", toolId);
        n.set("input", input);
        n.put("actor", actor);
        n.put("dry_run", dryRun);
        if (requestId != null) {
            n.put("request_id", requestId);
        }
        return n;
    }

    /** SHA-256 of the canonical input. */
    public String inputHash() {
        return CanonicalJson.sha256(CanonicalJson.write(input));
    }

    /** SHA-256 binding tool and input: what an approval is granted for. */
    public String payloadHash() {
        ObjectNode p = CanonicalJson.MAPPER.createObjectNode();
        p.put("tool_id", toolId);
        p.set("input", input);
        return CanonicalJson.sha256(CanonicalJson.write(p));
    }

    /** Both hashes of a call. */
    public record Hashes(String input, String payload) {
    }

    /**
     * {@link #inputHash()} and {@link #payloadHash()} from one canonical rendering of the input: the payload's canonical
     * text is the input's inside {@code {"input":...,"tool_id":...}} (keys sorted).
     */
    public Hashes hashes() {
        String in = CanonicalJson.write(input);
        StringBuilder p = new StringBuilder(in.length() + toolId.length() + 24).append("{\"input\":").append(in)
            .append(",\"tool_id\":");
        CanonicalJson.quote(p, toolId);
        return new Hashes(CanonicalJson.sha256(in), CanonicalJson.sha256(p.append('}').toString()));
    }

    /** The same envelope with another dry-run flag. */
    public ToolCallEnvelope withDryRun(boolean dry) {
        return new ToolCallEnvelope(toolId, input, actor, dry, requestId);
    }
}
