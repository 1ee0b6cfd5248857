package dev.cloned.rules;

import dev.cloned.rules.drools.DroolsPolicyCompiler;
import dev.cloned.rules.pack.PolicyPack;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** Entry point of the rules module: compile packs into engines, and validate them. */
public final class Policies {
    private Policies() {
    }

    /** Compiles {@code pack}, using {@code cacheDir} (nullable) to avoid recompiling across processes. */
    public static PolicyEngine compile(PolicyPack pack, Path cacheDir, Clock clock) {
        return new DroolsPolicyCompiler(clock).compile(pack, cacheDir);
    }

    /** Every problem in the pack's rules, with file and line; empty when it compiles. */
    public static List<PolicyProblem> validate(PolicyPack pack) {
        return DroolsPolicyCompiler.validate(pack);
    }

    /** Rule names per source file, read from the DRL text (no compilation). */
    public static List<PolicyEngine.RuleInfo> ruleInfo(PolicyPack pack) {
        return DroolsPolicyCompiler.ruleInfo(pack);
    }

    /** The content hash a pack would have once compiled (no compilation). */
    public static String hash(PolicyPack pack) {
        return DroolsPolicyCompiler.hash(pack);
    }
}
