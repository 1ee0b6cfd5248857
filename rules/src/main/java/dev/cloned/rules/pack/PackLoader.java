package dev.cloned.rules.pack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.rules.egress.EgressHosts;
import dev.cloned.rules.schema.SchemaValidator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Loads policy packs: a built-in pack by name from the classpath ({@code policy/packs/<name>/}), or a pack directory
 * from disk; then applies a workspace overlay ({@code <pack_id>.yaml} data and custom {@code *.drl} files).
 * Every error names the file and the field.
 */
public final class PackLoader {
    /** Names of the packs shipped with Cloned. */
    public static final List<String> BUILT_IN = List.of("personal", "shared", "enterprise");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private PackLoader() {
    }

    /** Loads a built-in pack ({@code personal}, {@code shared}, {@code enterprise}). */
    public static PolicyPack builtIn(String name) {
        if (!BUILT_IN.contains(name)) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, "unknown built-in pack '" + name + "'",
                "use one of " + BUILT_IN + " or a pack directory");
        }
        return load(new ClasspathFiles("policy/packs/" + name + "/"), "builtin:" + name);
    }

    /** Loads a pack from a directory that holds {@code pack.yaml}. */
    public static PolicyPack fromDirectory(Path dir) {
        if (!Files.isRegularFile(dir.resolve("pack.yaml"))) {
            throw new ClonedException(ErrorCode.INVALID_POLICY, dir + " has no pack.yaml",
                "point at a pack directory (one that holds pack.yaml and its rules)");
        }
        return load(new DirectoryFiles(dir), dir.toString());
    }

    /** Loads a built-in name or a directory path. */
    public static PolicyPack resolve(String nameOrDir, Path base) {
        if (BUILT_IN.contains(nameOrDir)) {
            return builtIn(nameOrDir);
        }
        return fromDirectory(base.resolve(nameOrDir));
    }

    /**
     * Applies the overlay found in {@code overlayDir}: {@code <pack_id>.yaml} (data merged on top: lists are unioned,
     * budget caps replaced) and every {@code *.drl} file (extra rules). A missing directory is an empty overlay.
     */
    public static PolicyPack withOverlay(PolicyPack pack, Path overlayDir) {
        if (overlayDir == null || !Files.isDirectory(overlayDir)) {
            return pack;
        }
        Path data = overlayDir.resolve(pack.packId() + ".yaml");
        PolicyPack merged = pack;
        if (Files.isRegularFile(data)) {
            merged = withOverlayData(pack, readYaml(readFile(data), data.toString()), data.toString());
        }
        List<RuleSource> extra = new ArrayList<>(merged.rules());
        try (Stream<Path> files = Files.list(overlayDir)) {
            files.filter(p -> p.getFileName().toString().endsWith(".drl")).sorted()
                .forEach(p -> extra.add(new RuleSource(p.getFileName().toString(), "overlay:" + p, readFile(p))));
        } catch (IOException e) {
            throw new ClonedException(ErrorCode.INVALID_POLICY, "cannot list overlay " + overlayDir, null, e);
        }
        return new PolicyPack(merged.packId(), merged.tier(), merged.version(), merged.budgets(),
            merged.approvalRules(), merged.allowlists(), merged.denylists(), merged.allowedOrigins(), extra,
            merged.tests());
    }

    /** Applies overlay data (already parsed) on top of a pack; {@code where} names its origin in errors. */
    public static PolicyPack withOverlayData(PolicyPack pack, JsonNode overlay, String where) {
        SchemaValidator.require("policy-overlay.schema.json", overlay, where, ErrorCode.INVALID_POLICY);
        return OverlayMerge.apply(pack, overlay, where);
    }

    /** Reads YAML text into a tree, naming {@code where} on a syntax error. */
    public static JsonNode readYaml(String text, String where) {
        try {
            JsonNode n = YAML.readTree(text);
            return n == null ? YAML.createObjectNode() : n;
        } catch (IOException e) {
            throw new ClonedException(ErrorCode.INVALID_POLICY, where + ": not valid YAML: " + firstLine(e.getMessage()),
                "fix the YAML syntax at the position given");
        }
    }

    private static PolicyPack load(PackFiles files, String where) {
        String packFile = where + "/pack.yaml";
        JsonNode node = readYaml(files.read("pack.yaml").orElseThrow(() ->
            new ClonedException(ErrorCode.INVALID_POLICY, packFile + " not found")), packFile);
        SchemaValidator.require("policy-pack.schema.json", node, packFile, ErrorCode.INVALID_POLICY);
        List<RuleSource> rules = new ArrayList<>();
        for (JsonNode r : node.path("rules")) {
            rules.add(ruleSource(files, r.asText(), where));
        }
        List<RuleSource> tests = new ArrayList<>();
        for (JsonNode t : node.path("tests")) {
            String rel = t.asText();
            tests.add(new RuleSource(rel, where + "/" + rel, files.read(rel).orElseThrow(() ->
                new ClonedException(ErrorCode.INVALID_POLICY, packFile + ": /tests names " + rel + ", which does not exist"))));
        }
        return new PolicyPack(node.get("pack_id").asText(), node.get("tier").asText(), node.get("version").asText(),
            budgets(node.path("budgets")), OverlayMerge.approvalRules(node.path("approvals").path("rules")),
            allowlists(node.path("allowlists"), packFile), denylists(node.path("denylists")),
            strings(node.path("ui").path("allowed_origins")), rules, tests);
    }

    private static RuleSource ruleSource(PackFiles files, String ref, String where) {
        if (ref.startsWith("lib:")) {
            String lib = ref.substring(4);
            String text = new ClasspathFiles("policy/lib/").read(lib + ".drl").orElseThrow(() ->
                new ClonedException(ErrorCode.INVALID_POLICY, where + "/pack.yaml: /rules names " + ref
                    + ", but there is no built-in rule library '" + lib + "'"));
            return new RuleSource(lib + ".drl", "lib:" + lib, text);
        }
        String text = files.read(ref).orElseThrow(() -> new ClonedException(ErrorCode.INVALID_POLICY,
            where + "/pack.yaml: /rules names " + ref + ", which does not exist"));
        return new RuleSource(Path.of(ref).getFileName().toString(), "pack:" + where + "/" + ref, text);
    }

    static Map<String, PolicyPack.BudgetSpec> budgets(JsonNode node) {
        Map<String, PolicyPack.BudgetSpec> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), new PolicyPack.BudgetSpec(e.getValue().path("period").asText("month"),
                e.getValue().path("cap").asLong()));
        }
        return out;
    }

    static PolicyPack.Allowlists allowlists(JsonNode node, String where) {
        return new PolicyPack.Allowlists(new TreeSet<>(strings(node.path("publishers"))),
            new TreeSet<>(strings(node.path("tools"))), new TreeSet<>(strings(node.path("capabilities"))),
            patterns(node.path("egress_domains"), where + ": /allowlists/egress_domains"),
            patternMap(node.path("egress_by_connector"), where + ": /allowlists/egress_by_connector"),
            patternMap(node.path("egress_by_tool"), where + ": /allowlists/egress_by_tool"));
    }

    static PolicyPack.Denylists denylists(JsonNode node) {
        return new PolicyPack.Denylists(new TreeSet<>(strings(node.path("tools"))),
            new TreeSet<>(strings(node.path("capabilities"))));
    }

    static Map<String, List<String>> patternMap(JsonNode node, String where) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), patterns(e.getValue(), where + "/" + e.getKey()));
        }
        return out;
    }

    static List<String> patterns(JsonNode node, String where) {
        Set<String> out = new LinkedHashSet<>();
        int i = 0;
        for (JsonNode p : node) {
            try {
                out.add(EgressHosts.validatePattern(p.asText()));
            } catch (IllegalArgumentException e) {
                throw new ClonedException(ErrorCode.INVALID_POLICY, where + "/" + i + ": " + e.getMessage(),
                    "use exact hosts or *.domain.tld");
            }
            i++;
        }
        return List.copyOf(out);
    }

    static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText()));
        return out;
    }

    static String readFile(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ClonedException(ErrorCode.INVALID_POLICY, "cannot read " + p + ": " + e.getMessage(), null, e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        int loc = s.indexOf(" line: ");
        return loc < 0 ? line : line + " (" + s.substring(loc + 1).split("]")[0].trim() + ")";
    }

    /** Where pack files are read from. */
    private interface PackFiles {
        Optional<String> read(String relative);
    }

    private record DirectoryFiles(Path dir) implements PackFiles {
        @Override
        public Optional<String> read(String relative) {
            Path p = dir.resolve(relative).normalize();
            return Files.isRegularFile(p) ? Optional.of(readFile(p)) : Optional.empty();
        }
    }

    private record ClasspathFiles(String prefix) implements PackFiles {
        @Override
        public Optional<String> read(String relative) {
            try (InputStream in = PackLoader.class.getClassLoader().getResourceAsStream(prefix + relative)) {
                return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
