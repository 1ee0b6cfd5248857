package dev.cloned.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.gateway.json.Views;
import dev.cloned.rules.Reason;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.tools.CallResult;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;

import java.util.List;
import java.util.Map;

/**
 * The MCP surface's one mapping: a governed {@link CallResult} becomes a tool result (denials and pending approvals
 * with {@code isError: true} and structured content an agent can act on), and an {@link ErrorCode} becomes either a
 * tool result or a JSON-RPC error.
 */
public final class McpResults {
    private McpResults() {
    }

    /**
     * The tool result for a governed call; {@code mcpOutput} when the tool's output is itself an MCP tool result (an
     * upstream MCP server's), which then goes to the client as the server sent it: its content blocks (text, images,
     * resources) and structured content, not wrapped in a JSON text.
     */
    public static McpSchema.CallToolResult of(CallResult r, boolean mcpOutput) {
        switch (r.status()) {
            case SUCCEEDED:
                if (mcpOutput && r.output() != null && r.output().path("content").isArray()) {
                    try {
                        return McpFront.JSON.convertValue(r.output(), McpSchema.CallToolResult.class);
                    } catch (IllegalArgumentException e) {
                        // a content block this SDK does not know: the client gets the result as JSON text instead
                    }
                }
                return ok(r.output() == null ? CanonicalJson.MAPPER.nullNode() : r.output());
            case DRY_RUN:
                return ok(Views.callResult(r));
            default:
                ObjectNode s = refusal(r);
                return McpSchema.CallToolResult.builder().addTextContent(summary(s)).structuredContent(map(s))
                    .isError(true).build();
        }
    }

    /** A failure before or around the governed path: a JSON-RPC error for bad requests, else an error result. */
    public static McpSchema.CallToolResult of(ClonedException e) {
        switch (e.code()) {
            case INVALID_INPUT:
            case INVALID_ENVELOPE:
            case NOT_FOUND:
                throw McpError.builder(McpSchema.ErrorCodes.INVALID_PARAMS).message(e.getMessage())
                    .data(Map.of("code", e.code().code())).build();
            case INTERNAL:
                throw McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR).message(e.getMessage()).build();
            default:
                ObjectNode s = CanonicalJson.MAPPER.createObjectNode().put("status", "failed")
                    .put("code", e.code().code()).put("reason", e.getMessage());
                if (e.hint() != null) {
                    s.put("hint", e.hint());
                }
                return McpSchema.CallToolResult.builder().addTextContent(summary(s)).structuredContent(map(s))
                    .isError(true).build();
        }
    }

    private static McpSchema.CallToolResult ok(JsonNode output) {
        JsonNode structured = output.isObject() ? output : CanonicalJson.MAPPER.createObjectNode().set("result", output);
        return McpSchema.CallToolResult.builder().addTextContent(CanonicalJson.write(output))
            .structuredContent(map(structured)).isError(false).build();
    }

    /** {@code {status, code, reason, rule, remaining_budget, approval_id, call_id, audit_seq}}. */
    static ObjectNode refusal(CallResult r) {
        ObjectNode s = CanonicalJson.MAPPER.createObjectNode();
        s.put("status", r.status().wire()).put("code", r.code());
        List<Reason> decisive = r.decision() == null ? List.of() : r.decision().decisiveReasons();
        if (r.error() != null) {
            s.put("reason", r.error());
        } else if (!decisive.isEmpty()) {
            s.put("reason", decisive.get(0).message());
        }
        if (!decisive.isEmpty() && decisive.get(0).rule() != null) {
            s.put("rule", decisive.get(0).rule());
        }
        ArrayNode remaining = s.putArray("remaining_budget");
        Views.budgets(r.budgets()).forEach(b -> remaining.addObject().put("category", b.path("category").asText())
            .put("remaining", b.path("remaining").asLong()).put("cap", b.path("cap").asLong()));
        if (r.approvalId() != null) {
            s.put("approval_id", r.approvalId());
        }
        s.put("call_id", r.callId()).put("audit_seq", r.auditSeq());
        return s;
    }

    private static String summary(ObjectNode s) {
        StringBuilder b = new StringBuilder(s.path("status").asText()).append(" (").append(s.path("code").asText())
            .append("): ").append(s.path("reason").asText(""));
        if (s.hasNonNull("rule")) {
            b.append(" [rule ").append(s.get("rule").asText()).append(']');
        }
        if (s.hasNonNull("approval_id")) {
            b.append(" — ask a human to approve ").append(s.get("approval_id").asText())
                .append(", then call again with the same arguments");
        }
        return b.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(JsonNode n) {
        return CanonicalJson.MAPPER.convertValue(n, Map.class);
    }
}
