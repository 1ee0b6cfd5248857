package dev.cloned.rules.drools;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.rules.PolicyEngine;
import dev.cloned.rules.PolicyProblem;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.rules.pack.PolicyPack;
import dev.cloned.rules.pack.RuleSource;
import org.drools.base.common.DroolsObjectInputStream;
import org.drools.base.common.DroolsObjectOutputStream;
import org.drools.kiesession.rulebase.InternalKnowledgeBase;
import org.drools.kiesession.rulebase.KnowledgeBaseFactory;
import org.kie.api.KieBase;
import org.kie.api.definition.KiePackage;
import org.kie.api.io.Resource;
import org.kie.api.io.ResourceType;
import org.kie.internal.builder.KnowledgeBuilder;
import org.kie.internal.builder.KnowledgeBuilderError;
import org.kie.internal.builder.KnowledgeBuilderFactory;
import org.kie.internal.io.ResourceFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles a pack's DRL into a KieBase, once per content hash: cached in memory, and on disk (serialized packages)
 * so that a second process loads instead of compiling. A pack that fails to compile throws and replaces nothing.
 */
public final class DroolsPolicyCompiler {
    private static final Logger LOG = LoggerFactory.getLogger(DroolsPolicyCompiler.class);
    /** Bumped when the fact model or engine changes so stale caches are ignored. */
    private static final String ENGINE_VERSION = "cloned-rules-1";
    private static final Pattern RULE_NAME = Pattern.compile("(?m)^\\s*rule\\s+(?:\"([^\"]+)\"|'([^']+)'|(\\S+))");
    private static final Map<String, KieBase> MEMORY = new ConcurrentHashMap<>();

    private final Clock clock;

    public DroolsPolicyCompiler(Clock clock) {
        this.clock = clock;
    }

    /** Content hash of a pack: its data and every rule source, canonicalized. */
    public static String hash(PolicyPack pack) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("engine", ENGINE_VERSION);
        content.put("pack", pack);
        return CanonicalJson.sha256(CanonicalJson.writeValue(content));
    }

    /** Drops the in-memory cache (tests use it to prove the disk cache works like a second process). */
    static void forgetMemoryCache() {
        MEMORY.clear();
    }

    /** Hash of the rule sources only: the compiled KieBase depends on nothing else, so it is cached by this. */
    static String rulesHash(PolicyPack pack) {
        StringBuilder sb = new StringBuilder(ENGINE_VERSION);
        for (RuleSource s : pack.rules()) {
            sb.append('\0').append(s.name()).append('\0').append(s.content());
        }
        return CanonicalJson.sha256(sb.toString());
    }

    /**
     * Compiles (or loads from cache) the pack. {@code cacheDir} may be null for no disk cache. Pack data is bound at
     * decision time, so packs that differ only in data share one compiled KieBase.
     */
    public PolicyEngine compile(PolicyPack pack, Path cacheDir) {
        String rulesHash = rulesHash(pack);
        KieBase base = MEMORY.get(rulesHash);
        boolean fromCache = base != null;
        if (base == null) {
            base = loadCached(cacheDir, rulesHash);
            fromCache = base != null;
        }
        if (base == null) {
            Collection<KiePackage> packages = build(pack);
            base = newBase(packages);
            storeCached(cacheDir, rulesHash, packages);
        }
        MEMORY.putIfAbsent(rulesHash, base);
        return new DroolsPolicyEngine(pack, hash(pack), base, ruleInfo(pack), clock.instant(), fromCache);
    }

    /** Compiles without caching and returns every problem (empty when the pack is valid). */
    public static List<PolicyProblem> validate(PolicyPack pack) {
        KnowledgeBuilder kb = KnowledgeBuilderFactory.newKnowledgeBuilder();
        Map<String, String> origins = addSources(kb, pack);
        List<PolicyProblem> problems = new ArrayList<>();
        for (KnowledgeBuilderError e : kb.getErrors()) {
            problems.add(problem(e, origins));
        }
        Map<String, String> seen = new LinkedHashMap<>();
        for (PolicyEngine.RuleInfo r : ruleInfo(pack)) {
            String prior = seen.putIfAbsent(r.name(), r.source());
            if (prior != null) {
                problems.add(new PolicyProblem(r.source(), 0, "rule \"" + r.name() + "\" is also defined in " + prior
                    + "; rule names must be unique within a pack"));
            }
        }
        return problems;
    }

    /** Rule names per source file, in order. */
    public static List<PolicyEngine.RuleInfo> ruleInfo(PolicyPack pack) {
        List<PolicyEngine.RuleInfo> out = new ArrayList<>();
        for (RuleSource s : pack.rules()) {
            Matcher m = RULE_NAME.matcher(stripComments(s.content()));
            while (m.find()) {
                String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
                out.add(new PolicyEngine.RuleInfo(name, s.origin()));
            }
        }
        return out;
    }

    private static Collection<KiePackage> build(PolicyPack pack) {
        List<PolicyProblem> problems = validate(pack);
        if (!problems.isEmpty()) {
            throw new ClonedException(ErrorCode.INVALID_POLICY, problems.get(0).describe()
                + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""),
                "fix the rule at that line; run `cloned policy validate` to see every problem");
        }
        KnowledgeBuilder kb = KnowledgeBuilderFactory.newKnowledgeBuilder();
        addSources(kb, pack);
        return kb.getKnowledgePackages();
    }

    private static Map<String, String> addSources(KnowledgeBuilder kb, PolicyPack pack) {
        Map<String, String> origins = new LinkedHashMap<>();
        int i = 0;
        for (RuleSource s : pack.rules()) {
            String path = "src/main/resources/cloned/" + (i++) + "/" + s.name();
            origins.put(path, s.origin());
            Resource r = ResourceFactory.newByteArrayResource(s.content().getBytes(StandardCharsets.UTF_8));
            r.setSourcePath(path);
            kb.add(r, ResourceType.DRL);
        }
        return origins;
    }

    private static PolicyProblem problem(KnowledgeBuilderError e, Map<String, String> origins) {
        String file = e.getResource() == null ? "?" : origins.getOrDefault(e.getResource().getSourcePath(),
            e.getResource().getSourcePath());
        int line = e.getLines() != null && e.getLines().length > 0 ? e.getLines()[0] : 0;
        String msg = e.getMessage() == null ? "invalid rule" : e.getMessage().replaceAll("\\s+", " ").trim();
        return new PolicyProblem(file, line, msg);
    }

    private static InternalKnowledgeBase newBase(Collection<KiePackage> packages) {
        InternalKnowledgeBase base = KnowledgeBaseFactory.newKnowledgeBase();
        base.addPackages(packages);
        return base;
    }

    @SuppressWarnings("unchecked")
    private static KieBase loadCached(Path cacheDir, String hash) {
        if (cacheDir == null) {
            return null;
        }
        Path file = cacheDir.resolve(hash + ".kpkgs");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (InputStream in = Files.newInputStream(file);
             DroolsObjectInputStream ois = new DroolsObjectInputStream(in, DroolsPolicyCompiler.class.getClassLoader())) {
            return newBase((Collection<KiePackage>) ois.readObject());
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            LOG.warn("ignoring unreadable compiled-rules cache {}: {}", file, e.toString());
            return null;
        }
    }

    private static void storeCached(Path cacheDir, String hash, Collection<KiePackage> packages) {
        if (cacheDir == null) {
            return;
        }
        try {
            Files.createDirectories(cacheDir);
            Path tmp = Files.createTempFile(cacheDir, hash, ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp);
                 DroolsObjectOutputStream oos = new DroolsObjectOutputStream(out)) {
                oos.writeObject(new ArrayList<>(packages));
            }
            Files.move(tmp, cacheDir.resolve(hash + ".kpkgs"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot write compiled-rules cache in {}: {}", cacheDir, e.toString());
        }
    }

    private static String stripComments(String drl) {
        return drl.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)//.*$", "");
    }
}
