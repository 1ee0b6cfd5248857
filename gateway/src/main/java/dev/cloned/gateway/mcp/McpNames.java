package dev.cloned.gateway.mcp;

/**
 * Tool ids as MCP tool names. MCP names allow letters, digits, {@code _ - .}; the {@code @} before the version
 * becomes {@code __}: {@code cloned.internal.echo@v1} is {@code cloned.internal.echo__v1}.
 */
public final class McpNames {
    private McpNames() {
    }

    /** The MCP name of a tool id. */
    public static String of(String toolId) {
        return toolId.replace("@", "__");
    }

    /** The tool id of an MCP name. */
    public static String toolId(String mcpName) {
        int i = mcpName.lastIndexOf("__");
        return i < 0 ? mcpName : mcpName.substring(0, i) + "@" + mcpName.substring(i + 2);
    }
}
