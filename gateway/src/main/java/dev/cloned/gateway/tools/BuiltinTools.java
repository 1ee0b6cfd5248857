package dev.cloned.gateway.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.firewall.Firewall;
import dev.cloned.runtime.policy.ActivePolicy;
import dev.cloned.runtime.tools.RegisteredTool;
import dev.cloned.runtime.tools.ToolDescriptor;
import dev.cloned.runtime.tools.ToolRegistry;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The built-in tools. Each makes one branch of the governed path observable: a free tool, a metered tool, a tool
 * that reaches a host through the egress guard, a high-risk tool, a tool with an unknown cost, and the tool that edits
 * the firewall (always behind an approval).
 */
public final class BuiltinTools {
    /** Connector id of built-in tools. */
    public static final String CONNECTOR = "cloned.internal";
    /** Publisher of built-in tools. */
    public static final String PUBLISHER = "cloned.official";
    private static final Pattern SAFE_NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$");

    private BuiltinTools() {
    }

    /** Registers every built-in tool. */
    public static void register(ToolRegistry registry, Workspace ws, ActivePolicy policy, Firewall firewall) {
        GuardedHttp http = new GuardedHttp();
        registry.register(RegisteredTool.nonBlocking(tool("cloned.internal.echo@v1", "Returns its input.", List.of("util.echo"),
            "low", null, null, null, schema("{\"type\":\"object\"}")),
            (in, ctx) -> CanonicalJson.MAPPER.createObjectNode().set("echo", in)));
        registry.register(RegisteredTool.nonBlocking(tool("cloned.internal.meter@v1",
            "Spends `units` api_requests (default 1) and returns how many.", List.of("util.meter"), "low",
            "api_requests", in -> in.path("units").asLong(1), null,
            schema("{\"type\":\"object\",\"properties\":{\"units\":{\"type\":\"integer\",\"minimum\":0}},"
                + "\"additionalProperties\":false}")),
            (in, ctx) -> CanonicalJson.MAPPER.createObjectNode().put("units", in.path("units").asLong(1))));
        registry.register(new RegisteredTool(tool("cloned.internal.fetch@v1",
            "HTTP GET of `url` through the egress guard; returns status and the first 4 KiB.", List.of("web.fetch"),
            "low", "api_requests", in -> 1L, BuiltinTools::hostOf,
            schema("{\"type\":\"object\",\"required\":[\"url\"],\"properties\":{\"url\":{\"type\":\"string\","
                + "\"pattern\":\"^https?://\"}},\"additionalProperties\":false}")),
            (in, ctx) -> {
                GuardedHttp.Response r = http.get(URI.create(in.get("url").asText()), ctx, 4096);
                return CanonicalJson.MAPPER.createObjectNode().put("status", r.status())
                    .put("url", r.finalUrl().toString()).put("redirects", r.redirects()).put("body", r.body());
            }));
        registry.register(new RegisteredTool(tool("cloned.internal.artifact.write@v1",
            "Writes `content` to .cloned/artifacts/`name` (high risk: needs approval).", List.of("artifact.write"),
            "high", null, null, null,
            schema("{\"type\":\"object\",\"required\":[\"name\",\"content\"],\"properties\":{\"name\":{\"type\":\"string\"},"
                + "\"content\":{\"type\":\"string\"}},\"additionalProperties\":false}")),
            (in, ctx) -> writeArtifact(ws, in)));
        registry.register(new RegisteredTool(tool("cloned.internal.compute@v1",
            "Digests `text` `rounds` times; its cloud_compute cost is unknown, so it needs approval.",
            List.of("compute.run"), "low", "cloud_compute", null, null,
            schema("{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"},\"rounds\":{\"type\":\"integer\","
                + "\"minimum\":1,\"maximum\":100000}},\"additionalProperties\":false}")),
            (in, ctx) -> compute(in)));
        registry.register(new RegisteredTool(tool("cloned.internal.security.egress.update@v1",
            "Adds or removes an egress allowlist entry in the workspace overlay (always needs approval).",
            List.of("security.egress.update"), "high", null, null, null,
            schema("{\"type\":\"object\",\"required\":[\"action\",\"host\"],\"properties\":{\"action\":{\"enum\":"
                + "[\"allow\",\"remove\"]},\"host\":{\"type\":\"string\"},\"tool\":{\"type\":\"string\"},"
                + "\"connector\":{\"type\":\"string\"}},\"additionalProperties\":false}")),
            (in, ctx) -> updateEgress(firewall, policy, in)));
        ConnectorRecommendationTool.register(registry, ws);
        PolicyPackApplyTool.register(registry, ws, policy);
    }

    private static ToolDescriptor tool(String id, String description, List<String> caps, String risk, String costCat,
                                       java.util.function.Function<JsonNode, Long> cost,
                                       java.util.function.Function<JsonNode, String> host, JsonNode schema) {
        return new ToolDescriptor(id, description, CONNECTOR, PUBLISHER, caps, risk, costCat, cost, host, schema);
    }

    private static String hostOf(JsonNode in) {
        try {
            String h = URI.create(in.path("url").asText()).getHost();
            return h == null ? in.path("url").asText() : h;
        } catch (IllegalArgumentException e) {
            return in.path("url").asText();
        }
    }

    private static JsonNode writeArtifact(Workspace ws, JsonNode in) throws Exception {
        String name = in.get("name").asText();
        if (!SAFE_NAME.matcher(name).matches() || name.contains("..")) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, "artifact name '" + name + "' is not a plain file name");
        }
        Path p = ws.artifactsDir().resolve(name);
        Workspace.writeAtomically(p, in.get("content").asText());
        byte[] bytes = Files.readAllBytes(p);
        return CanonicalJson.MAPPER.createObjectNode().put("path", ws.root().relativize(p).toString())
            .put("sha256", CanonicalJson.sha256(bytes)).put("bytes", bytes.length);
    }

    private static JsonNode compute(JsonNode in) {
        String digest = in.path("text").asText("");
        int rounds = in.path("rounds").asInt(1);
        for (int i = 0; i < rounds; i++) {
            digest = CanonicalJson.sha256(digest.getBytes(StandardCharsets.UTF_8));
        }
        return CanonicalJson.MAPPER.createObjectNode().put("digest", digest).put("rounds", rounds);
    }

    private static JsonNode updateEgress(Firewall firewall, ActivePolicy policy, JsonNode in) {
        String host = in.get("host").asText();
        String tool = in.hasNonNull("tool") ? in.get("tool").asText() : null;
        String connector = in.hasNonNull("connector") ? in.get("connector").asText() : null;
        Firewall.Edit edit = in.get("action").asText().equals("allow")
            ? firewall.allow(host, tool, connector, false) : firewall.remove(host, tool, connector, false);
        policy.reload();
        ObjectNode out = CanonicalJson.MAPPER.createObjectNode();
        out.put("changed", edit.changed()).put("host", edit.host()).put("scope", edit.scope());
        if (edit.subject() != null) {
            out.put("subject", edit.subject());
        }
        return out;
    }

    private static JsonNode schema(String json) {
        try {
            return CanonicalJson.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
