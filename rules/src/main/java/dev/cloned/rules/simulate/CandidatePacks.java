package dev.cloned.rules.simulate;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.rules.pack.PackLoader;
import dev.cloned.rules.pack.PolicyPack;
import dev.cloned.rules.pack.RuleSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns {@code --candidate DIR|FILE} into a pack, the way the live path would load it:
 * <ul>
 *   <li>a directory with {@code pack.yaml}: that pack, with the workspace overlay applied (as if the workspace
 *   switched to it);</li>
 *   <li>another directory: an overlay directory used instead of the workspace's ({@code <pack_id>.yaml} and
 *   {@code *.drl}) on the workspace's base pack;</li>
 *   <li>a {@code .yaml}/{@code .yml} file: overlay data merged on top of the active pack;</li>
 *   <li>a {@code .drl} file: an extra rule file on top of the active pack (it replaces an overlay rule file of the
 *   same name, so an edited copy of a custom rule file can be tried).</li>
 * </ul>
 */
public final class CandidatePacks {
    private CandidatePacks() {
    }

    /**
     * Loads the candidate.
     *
     * @param candidate the path given on the command line
     * @param basePack the workspace's pack without its overlay
     * @param overlayDir the workspace overlay directory ({@code .cloned/policy})
     */
    public static PolicyPack load(Path candidate, PolicyPack basePack, Path overlayDir) {
        if (Files.isDirectory(candidate)) {
            if (Files.isRegularFile(candidate.resolve("pack.yaml"))) {
                return PackLoader.withOverlay(PackLoader.fromDirectory(candidate), overlayDir);
            }
            return PackLoader.withOverlay(basePack, candidate);
        }
        if (!Files.isRegularFile(candidate)) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, "candidate " + candidate + " does not exist",
                "give a pack directory, an overlay directory, an overlay .yaml file or a .drl file");
        }
        PolicyPack active = PackLoader.withOverlay(basePack, overlayDir);
        String name = candidate.getFileName().toString();
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return PackLoader.withOverlayData(active, PackLoader.readYaml(read(candidate), candidate.toString()),
                candidate.toString());
        }
        if (name.endsWith(".drl")) {
            List<RuleSource> rules = new ArrayList<>();
            for (RuleSource s : active.rules()) {
                if (!(s.origin().startsWith("overlay:") && s.name().equals(name))) {
                    rules.add(s);
                }
            }
            rules.add(new RuleSource(name, "candidate:" + candidate, read(candidate)));
            return new PolicyPack(active.packId(), active.tier(), active.version(), active.budgets(),
                active.approvalRules(), active.allowlists(), active.denylists(), active.allowedOrigins(), rules,
                active.tests());
        }
        throw new ClonedException(ErrorCode.INVALID_INPUT, "candidate " + candidate
            + " is neither a directory, a .yaml overlay nor a .drl file", null);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, "cannot read " + p + ": " + e.getMessage());
        }
    }
}
