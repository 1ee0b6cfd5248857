package dev.cloned.rules;

/**
 * How an outbound host was resolved: which scope matched first (tool, connector, global) and by which pattern,
 * or {@code none} when nothing admits it.
 *
 * @param host the normalized host (punycode, lower case)
 * @param allowed whether a pattern admitted it
 * @param scope {@code tool}, {@code connector}, {@code global} or {@code none}
 * @param subject the tool or connector id whose list matched, or {@code null}
 * @param pattern the pattern that matched, or {@code null}
 */
public record EgressMatch(String host, boolean allowed, String scope, String subject, String pattern) {
    /** A human form such as {@code egress_by_tool[cloned.mcp.web.search@v1]: api.duckduckgo.com}. */
    public String describe() {
        if (!allowed) {
            return "no allowlist admits " + host;
        }
        return switch (scope) {
            case "tool" -> "egress_by_tool[" + subject + "]: " + pattern;
            case "connector" -> "egress_by_connector[" + subject + "]: " + pattern;
            default -> "egress_domains: " + pattern;
        };
    }
}
