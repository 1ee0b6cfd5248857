package dev.cloned.rules.blueprint;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Compiles selection DRL into a KieBase, once per distinct content: compiled bases are cached in memory by the
 * SHA-256 of the DRL text, because a compile takes seconds and a selection milliseconds.
 */
final class SelectionRuleBase {
    private static final Map<String, KieBase> CACHE = new ConcurrentHashMap<>();

    private SelectionRuleBase() {
    }

    /** The compiled base for this DRL; {@code source} names it in error messages. */
    static KieBase compile(String drl, String source) {
        return CACHE.computeIfAbsent(sha256(drl), hash -> build(drl, source, hash));
    }

    /** Names of the rules in the base, sorted. */
    static List<String> ruleNames(KieBase base) {
        TreeSet<String> names = new TreeSet<>();
        for (KiePackage pkg : base.getKiePackages()) {
            pkg.getRules().stream().map(Rule::getName).forEach(names::add);
        }
        return List.copyOf(names);
    }

    private static KieBase build(String drl, String source, String hash) {
        KieServices services = KieServices.Factory.get();
        ReleaseId release = services.newReleaseId("dev.cloned", "blueprint-selection-" + hash.substring(0, 16), "1.0.0");
        KieFileSystem files = services.newKieFileSystem();
        files.generateAndWritePomXML(release);
        files.write("src/main/resources/dev/cloned/rules/blueprint/selection.drl", drl);
        KieBuilder builder = services.newKieBuilder(files).buildAll();
        List<Message> errors = builder.getResults().getMessages(Message.Level.ERROR);
        if (!errors.isEmpty()) {
            String detail = errors.stream()
                    .map(m -> "line " + m.getLine() + ": " + m.getText().strip())
                    .collect(Collectors.joining("; "));
            throw new ClonedException(ErrorCode.INVALID_POLICY, source + ": selection rules do not compile: " + detail,
                    "fix the DRL and run the selection tests (blueprints/selection.tests.yaml)");
        }
        return services.newKieContainer(release).getKieBase();
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
