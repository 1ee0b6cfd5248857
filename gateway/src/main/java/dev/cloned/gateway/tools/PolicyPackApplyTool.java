package dev.cloned.gateway.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.rules.pack.PackLoader;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.WorkspaceConfig;
import dev.cloned.runtime.policy.ActivePolicy;
import dev.cloned.runtime.tools.RegisteredTool;
import dev.cloned.runtime.tools.ToolDescriptor;
import dev.cloned.runtime.tools.ToolRegistry;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * {@code cloned.internal.policy.pack.apply@v1}: makes a built-in pack the workspace's active pack (config.yaml
 * {@code policy_pack}) and reloads the policy. A policy change, so high risk: every shipped pack puts it behind an
 * approval. The workspace overlay is kept.
 */
public final class PolicyPackApplyTool {
    /** The tool id. */
    public static final String ID = "cloned.internal.policy.pack.apply@v1";

    private PolicyPackApplyTool() {
    }

    /** Registers the tool. */
    public static void register(ToolRegistry registry, Workspace ws, ActivePolicy policy) {
        registry.register(new RegisteredTool(new ToolDescriptor(ID,
            "Switches the workspace to another built-in policy pack (`pack`: personal, shared or enterprise).",
            BuiltinTools.CONNECTOR, BuiltinTools.PUBLISHER, List.of("policy.pack.apply"), "high", null, null, null,
            schema()), (in, ctx) -> apply(ws, policy, in.get("pack").asText())));
    }

    /** The built-in pack name ({@code personal}) whose pack id is {@code packId}, if any. */
    public static Optional<String> builtinName(String packId) {
        return PackLoader.BUILT_IN.stream().filter(n -> PackLoader.builtIn(n).packId().equals(packId)).findFirst();
    }

    private static JsonNode apply(Workspace ws, ActivePolicy policy, String pack) {
        if (!PackLoader.BUILT_IN.contains(pack)) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, "unknown built-in pack '" + pack + "'",
                "use one of " + PackLoader.BUILT_IN);
        }
        WorkspaceConfig c = ws.config();
        boolean changed = !c.policyPack().equals(pack);
        if (changed) {
            ws.writeConfig(c.withPolicyPack(pack)); // every other section as it was
            policy.reload();
        }
        return CanonicalJson.MAPPER.createObjectNode().put("previous", c.policyPack()).put("active", pack)
            .put("changed", changed).put("pack_id", policy.current().pack().packId());
    }

    private static JsonNode schema() {
        try {
            return CanonicalJson.MAPPER.readTree("{\"type\":\"object\",\"required\":[\"pack\"],\"properties\":{\"pack\":"
                + "{\"enum\":[\"personal\",\"shared\",\"enterprise\"]}},\"additionalProperties\":false}");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
