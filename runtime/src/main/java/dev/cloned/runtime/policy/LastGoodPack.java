package dev.cloned.runtime.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.rules.Policies;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.rules.pack.PolicyPack;
import dev.cloned.runtime.Workspace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The last pack (data and rules, overlay included) that compiled and became active in this workspace, kept in
 * {@code .cloned/policy-active.json}. A process that starts on a pack or overlay that no longer compiles keeps
 * enforcing this one instead of deciding nothing, exactly as a running gateway keeps its active snapshot when a reload
 * fails: a broken edit never replaces the active pack, in any process.
 */
final class LastGoodPack {
    private static final Logger LOG = LoggerFactory.getLogger(LastGoodPack.class);

    private LastGoodPack() {
    }

    static Path file(Workspace ws) {
        return ws.dir().resolve("policy-active.json");
    }

    /** Records {@code pack} as the last good one, unless it is already recorded. Failures are logged, not thrown. */
    static void save(Workspace ws, PolicyPack pack, String hash) {
        try {
            if (hash.equals(recordedHash(ws).orElse(null))) {
                return;
            }
            ObjectNode doc = CanonicalJson.MAPPER.createObjectNode().put("hash", hash);
            doc.set("pack", CanonicalJson.MAPPER.valueToTree(pack));
            Workspace.writeAtomically(file(ws), CanonicalJson.MAPPER.writerWithDefaultPrettyPrinter()
                .writeValueAsString(doc) + "\n");
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot record the active policy in {}: {}", file(ws), e.toString());
        }
    }

    /** The last good pack, when one was recorded and it still reads back with the hash it was recorded with. */
    static Optional<PolicyPack> load(Workspace ws) {
        Path f = file(ws);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            JsonNode doc = CanonicalJson.MAPPER.readTree(f.toFile());
            PolicyPack pack = CanonicalJson.MAPPER.treeToValue(doc.path("pack"), PolicyPack.class);
            if (!Policies.hash(pack).equals(doc.path("hash").asText())) {
                LOG.warn("{} does not match its recorded hash; not using it", f);
                return Optional.empty();
            }
            return Optional.of(pack);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot read the last active policy from {}: {}", f, e.toString());
            return Optional.empty();
        }
    }

    private static Optional<String> recordedHash(Workspace ws) {
        Path f = file(ws);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try (var in = Files.newInputStream(f); var p = CanonicalJson.MAPPER.createParser(in)) {
            // "hash" is the first field written: stop reading there.
            while (p.nextToken() != null) {
                if ("hash".equals(p.currentName()) && p.nextToken() != null) {
                    return Optional.of(p.getText());
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
