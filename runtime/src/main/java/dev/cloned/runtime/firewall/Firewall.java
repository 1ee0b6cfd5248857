package dev.cloned.runtime.firewall;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.rules.EgressMatch;
import dev.cloned.rules.egress.EgressHosts;
import dev.cloned.rules.egress.EgressPolicy;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.rules.pack.PackLoader;
import dev.cloned.rules.pack.PolicyPack;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.policy.ActivePolicy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Egress allowlist edits on the workspace overlay ({@code .cloned/policy/<pack_id>.yaml}): list with origins, allow,
 * remove, check. Edits are validated, deduplicated and written atomically; the next decision sees them.
 */
public final class Firewall {
    private final Workspace ws;
    private final ActivePolicy policy;

    public Firewall(Workspace ws, ActivePolicy policy) {
        this.ws = ws;
        this.policy = policy;
    }

    /** One allowlist entry and where it comes from ({@code pack} or {@code overlay}). */
    public record Entry(String host, String scope, String subject, String origin) {
    }

    /** The result of an edit: whether anything changed, and the overlay file. */
    public record Edit(boolean changed, Path overlay, String host, String scope, String subject) {
    }

    /** The merged allowlists, each entry with its origin. */
    public List<Entry> list() {
        List<Entry> out = new ArrayList<>();
        PolicyPack base = policy.basePack();
        add(out, base.allowlists(), "pack:" + base.packId());
        PolicyPack overlayOnly = PackLoader.withOverlayData(emptyPack(base), overlayTree(base.packId()), "overlay");
        add(out, overlayOnly.allowlists(), "overlay");
        return out;
    }

    /** Adds {@code host} to the global list, or to a tool's or connector's list. */
    public Edit allow(String host, String tool, String connector, boolean dryRun) {
        Target t = target(host, tool, connector);
        PolicyPack base = policy.basePack();
        ObjectNode overlay = overlayTree(base.packId());
        ArrayNode list = listNode(overlay, t, true);
        boolean inPack = hosts(base.allowlists(), t).contains(t.host);
        boolean present = contains(list, t.host);
        boolean changed = !present && !inPack;
        if (changed) {
            list.add(t.host);
        }
        if (changed && !dryRun) {
            write(base.packId(), overlay);
        }
        return new Edit(changed, overlayFile(base.packId()), t.host, t.scope, t.subject);
    }

    /** Removes {@code host} from the overlay; hosts that come from the pack itself cannot be removed here. */
    public Edit remove(String host, String tool, String connector, boolean dryRun) {
        Target t = target(host, tool, connector);
        PolicyPack base = policy.basePack();
        ObjectNode overlay = overlayTree(base.packId());
        ArrayNode list = listNode(overlay, t, false);
        int idx = -1;
        for (int i = 0; list != null && i < list.size(); i++) {
            if (list.get(i).asText().equals(t.host)) {
                idx = i;
            }
        }
        if (idx < 0) {
            if (hosts(base.allowlists(), t).contains(t.host)) {
                throw new ClonedException(ErrorCode.CONFLICT, t.host + " comes from pack " + base.packId()
                    + ", not from the workspace overlay", "the overlay can only add to a pack; deny the tool or "
                    + "capability instead, or use a custom pack");
            }
            return new Edit(false, overlayFile(base.packId()), t.host, t.scope, t.subject);
        }
        list.remove(idx);
        if (!dryRun) {
            write(base.packId(), overlay);
        }
        return new Edit(true, overlayFile(base.packId()), t.host, t.scope, t.subject);
    }

    /** Resolves {@code host} for a tool/connector against the merged allowlists (tool -> connector -> global). */
    public EgressMatch check(String host, String tool, String connector) {
        try {
            EgressHosts.normalize(host);
        } catch (IllegalArgumentException e) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, e.getMessage(), "give a host name such as api.github.com");
        }
        return new EgressPolicy(policy.loadPack().allowlists()).resolve(host, tool, connector);
    }

    private record Target(String host, String scope, String subject) {
    }

    private static Target target(String host, String tool, String connector) {
        if (tool != null && connector != null) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, "give --tool or --connector, not both",
                "a host is allowed for one tool, one connector, or globally");
        }
        String norm;
        try {
            norm = EgressHosts.validatePattern(host);
        } catch (IllegalArgumentException e) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, e.getMessage(), "use an exact host or *.domain.tld");
        }
        return tool != null ? new Target(norm, "tool", tool)
            : connector != null ? new Target(norm, "connector", connector) : new Target(norm, "global", null);
    }

    private static ArrayNode listNode(ObjectNode overlay, Target t, boolean create) {
        JsonNode allow = overlay.get("allowlists");
        if (allow == null) {
            if (!create) {
                return null;
            }
            allow = overlay.putObject("allowlists");
        }
        ObjectNode a = (ObjectNode) allow;
        if (t.scope.equals("global")) {
            return a.has("egress_domains") || create ? a.withArray("egress_domains") : null;
        }
        String key = t.scope.equals("tool") ? "egress_by_tool" : "egress_by_connector";
        if (!a.has(key) && !create) {
            return null;
        }
        ObjectNode map = a.with(key);
        return map.has(t.subject) || create ? map.withArray(t.subject) : null;
    }

    private static boolean contains(ArrayNode list, String host) {
        for (JsonNode n : list) {
            if (n.asText().equals(host)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> hosts(PolicyPack.Allowlists a, Target t) {
        return switch (t.scope) {
            case "tool" -> a.egressByTool().getOrDefault(t.subject, List.of());
            case "connector" -> a.egressByConnector().getOrDefault(t.subject, List.of());
            default -> a.egressDomains();
        };
    }

    private static void add(List<Entry> out, PolicyPack.Allowlists a, String origin) {
        a.egressDomains().forEach(h -> out.add(new Entry(h, "global", null, origin)));
        for (Map.Entry<String, List<String>> e : a.egressByConnector().entrySet()) {
            e.getValue().forEach(h -> out.add(new Entry(h, "connector", e.getKey(), origin)));
        }
        for (Map.Entry<String, List<String>> e : a.egressByTool().entrySet()) {
            e.getValue().forEach(h -> out.add(new Entry(h, "tool", e.getKey(), origin)));
        }
    }

    private Path overlayFile(String packId) {
        return ws.policyDir().resolve(packId + ".yaml");
    }

    private ObjectNode overlayTree(String packId) {
        Path f = overlayFile(packId);
        if (!Files.isRegularFile(f)) {
            return CanonicalJson.MAPPER.createObjectNode();
        }
        JsonNode n = Workspace.readYaml(f);
        if (!(n instanceof ObjectNode o)) {
            throw new ClonedException(ErrorCode.INVALID_POLICY, f + " is not a YAML mapping", "fix or remove the file");
        }
        return o;
    }

    private void write(String packId, ObjectNode overlay) {
        // Validate the whole result before writing, so a bad edit never reaches disk.
        PackLoader.withOverlayData(policy.basePack(), overlay, overlayFile(packId).toString());
        Workspace.writeYamlAtomically(overlayFile(packId), overlay);
    }

    private static PolicyPack emptyPack(PolicyPack base) {
        return new PolicyPack(base.packId(), base.tier(), base.version(), Map.of(), List.of(),
            new PolicyPack.Allowlists(java.util.Set.of(), java.util.Set.of(), java.util.Set.of(), List.of(), Map.of(),
                Map.of()), new PolicyPack.Denylists(java.util.Set.of(), java.util.Set.of()), List.of(), List.of(),
            List.of());
    }
}
