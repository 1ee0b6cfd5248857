package dev.cloned.gateway.demo;

import dev.cloned.gateway.ClonedGateway;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.connectors.InstalledConnector;
import dev.cloned.runtime.connectors.PackageSigner;
import dev.cloned.runtime.connectors.PublisherKeys;
import dev.cloned.runtime.connectors.VerificationReport;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The connector part of {@code cloned demo}: a fresh {@code cloned.demo} publisher key for this workspace (trusted
 * and allowed through the overlay), the demo connector package assembled from the build tree and signed with it,
 * then install and verify. The private key stays in the demo folder; nothing is committed (see docs/connectors.md).
 */
final class DemoConnectorSteps {
    static final String PUBLISHER = "cloned.demo";
    static final String ID = "connector.demo";
    private static final String DIR_PROPERTY = "cloned.demo.connector.dir";

    private DemoConnectorSteps() {
    }

    /**
     * The demo connector's build output ({@code connectors/demo/target}): from {@code -Dcloned.demo.connector.dir},
     * {@code $CLONED_DEMO_CONNECTOR_DIR}, {@code -Dcloned.root}, next to the running jars, or the current directory.
     */
    static Optional<Path> locateBuild() {
        List<Path> candidates = new ArrayList<>();
        Optional.ofNullable(System.getProperty(DIR_PROPERTY)).map(Path::of).ifPresent(candidates::add);
        Optional.ofNullable(System.getenv("CLONED_DEMO_CONNECTOR_DIR")).map(Path::of).ifPresent(candidates::add);
        Optional.ofNullable(System.getProperty("cloned.root")).map(r -> Path.of(r, "connectors/demo/target"))
            .ifPresent(candidates::add);
        try {
            Path here = Path.of(DemoConnectorSteps.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = here; p != null; p = p.getParent()) {
                candidates.add(p.resolve("connectors/demo/target"));
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no code source: fall back to the working directory
        }
        candidates.add(Path.of("connectors/demo/target").toAbsolutePath());
        return candidates.stream().filter(DemoConnectorSteps::isBuild).findFirst();
    }

    private static boolean isBuild(Path target) {
        return Files.isDirectory(target.resolve("lib")) && jar(target).isPresent()
            && Files.isRegularFile(template(target));
    }

    private static Optional<Path> jar(Path target) {
        try (Stream<Path> s = Files.list(target)) {
            return s.filter(p -> p.getFileName().toString().matches("cloned-connector-demo-[^/]*(?<!-sources|-tests)\\.jar"))
                .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Path template(Path target) {
        return target.getParent().resolve("src/main/package/package.manifest.json");
    }

    /**
     * Generates and trusts the demo publisher key, allows it in the workspace overlay, and assembles and signs the
     * package under {@code work}; returns the package directory.
     */
    static Path prepare(ClonedGateway gw, Path build, Path work, Clock clock) throws IOException {
        Path pkg = Files.createDirectories(work.resolve("demo-package"));
        Path lib = Files.createDirectories(pkg.resolve("lib"));
        Files.copy(jar(build).orElseThrow(), lib.resolve(jar(build).orElseThrow().getFileName()));
        try (Stream<Path> deps = Files.list(build.resolve("lib"))) {
            for (Path dep : deps.filter(p -> p.toString().endsWith(".jar")).toList()) {
                Files.copy(dep, lib.resolve(dep.getFileName()));
            }
        }
        Files.copy(template(build), pkg.resolve("package.manifest.json"));
        Path key = work.resolve("demo-publisher/" + PUBLISHER + ".key");
        Files.createDirectories(key.getParent());
        PublisherKeys.generate(PUBLISHER, "Cloned demo publisher (generated for this workspace)", key,
            gw.workspace().publishersDir().resolve(PUBLISHER + ".json"), clock);
        Path overlay = gw.workspace().policyDir().resolve(gw.policy().loadPack().packId() + ".yaml");
        com.fasterxml.jackson.databind.node.ObjectNode tree = Files.exists(overlay)
            && Workspace.readYaml(overlay) instanceof com.fasterxml.jackson.databind.node.ObjectNode o ? o
            : CanonicalJson.MAPPER.createObjectNode();
        com.fasterxml.jackson.databind.node.ObjectNode allow = tree.path("allowlists").isObject()
            ? (com.fasterxml.jackson.databind.node.ObjectNode) tree.get("allowlists") : tree.putObject("allowlists");
        com.fasterxml.jackson.databind.node.ArrayNode pubs = allow.path("publishers").isArray()
            ? (com.fasterxml.jackson.databind.node.ArrayNode) allow.get("publishers") : allow.putArray("publishers");
        pubs.add(PUBLISHER);
        Workspace.writeYamlAtomically(overlay, tree);
        gw.policy().reload();
        PackageSigner.sign(pkg, key);
        return pkg;
    }

    /** Installs and re-verifies; returns a one-line detail for each. */
    static List<String> installAndVerify(ClonedGateway gw, Path pkg) {
        InstalledConnector c = gw.installer().install(pkg);
        VerificationReport v = gw.installer().verifyInstalled(c.id());
        return List.of(c.id() + " " + c.version() + " from " + c.entry().publisherId() + ", disabled",
            v.verified() ? v.reason() : v.reason() + " [" + v.errorCode().code() + "]");
    }

    /** The status code demo.fetch saw, or -1. */
    static int fetchStatus(com.fasterxml.jackson.databind.JsonNode output) {
        return output == null ? -1 : output.path("structured").path("status").asInt(-1);
    }

    /** Input JSON for demo tools. */
    static String input(String key, String value) {
        return CanonicalJson.MAPPER.createObjectNode().put(key, value).toString();
    }
}
