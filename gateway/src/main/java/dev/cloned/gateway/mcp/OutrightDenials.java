package dev.cloned.gateway.mcp;

import dev.cloned.rules.pack.PolicyPack;
import dev.cloned.runtime.tools.ToolDescriptor;

/**
 * Whether the pack's lists deny a tool whatever its input (denylists, a non-empty tool or capability allowlist that
 * leaves it out, a publisher not allowed). Such tools are left out of {@code tools/list}; calling one anyway is
 * still decided (and audited) by the governed path.
 */
public final class OutrightDenials {
    private OutrightDenials() {
    }

    /** Whether {@code pack} denies {@code tool} for every input. */
    public static boolean denies(PolicyPack pack, ToolDescriptor tool) {
        PolicyPack.Denylists deny = pack.denylists();
        PolicyPack.Allowlists allow = pack.allowlists();
        if (deny.tools().contains(tool.id()) || tool.capabilities().stream().anyMatch(deny.capabilities()::contains)) {
            return true;
        }
        if (!allow.tools().isEmpty() && !allow.tools().contains(tool.id())) {
            return true;
        }
        if (!allow.capabilities().isEmpty() && !allow.capabilities().containsAll(tool.capabilities())) {
            return true;
        }
        return tool.publisherId() != null && !allow.publishers().isEmpty()
            && !allow.publishers().contains(tool.publisherId());
    }
}
