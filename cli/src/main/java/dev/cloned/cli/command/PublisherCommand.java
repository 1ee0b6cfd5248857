package dev.cloned.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.cli.ExitCodes;
import dev.cloned.cli.support.Inputs;
import dev.cloned.cli.support.WorkspaceOption;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.audit.AuditEntries;
import dev.cloned.runtime.connectors.PublisherKeys;
import dev.cloned.runtime.connectors.TrustStore;
import dev.cloned.runtime.connectors.TrustedPublisher;
import dev.cloned.runtime.files.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

/** {@code cloned publisher keygen|trust}: publisher keys for connector authors, and trust roots for users. */
@Command(name = "publisher", mixinStandardHelpOptions = true,
    description = "Create a publisher key pair (authors) or trust a publisher's public key (users).")
public final class PublisherCommand {
    @Spec
    CommandSpec spec;

    @Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Create an Ed25519 key pair: OUT/ID.key (private, 0600) and OUT/ID.json (the trust root to publish).")
    int keygen(@Option(names = "--id", required = true, paramLabel = "ID", description = "Publisher id, e.g. acme.tools") String id,
               @Option(names = "--out", required = true, paramLabel = "DIR") Path out,
               @Option(names = "--name", paramLabel = "NAME", description = "Display name. Default: the id.") String name)
        throws IOException {
        Files.createDirectories(out);
        Path key = out.resolve(id + ".key");
        Path pub = out.resolve(id + ".json");
        PublisherKeys.PublisherKey k = PublisherKeys.generate(id, name == null ? id : name, key, pub, Clock.systemUTC());
        out().println("private key: " + key + " (keep it secret, out of any repository)");
        out().println("public key:  " + pub + " (fingerprint " + k.fingerprint() + ")");
        out().println("users trust it with: cloned publisher trust " + pub);
        return ExitCodes.OK;
    }

    @Command(name = "trust", mixinStandardHelpOptions = true,
        description = "Trust a publisher: copy its JSON into .cloned/trust/publishers/ (check the key out of band first).")
    int trust(@Mixin WorkspaceOption ws, @Parameters(paramLabel = "FILE") Path file) throws IOException {
        JsonNode doc = Inputs.file(file.toString(), "publisher file");
        String id = doc.path("publisher_id").asText("");
        if (!id.matches("[a-z0-9][a-z0-9._-]{1,99}")) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, file + " has no valid publisher_id");
        }
        try (ClonedGateway gw = ws.open()) {
            TrustStore trust = new TrustStore(gw.workspace().dir());
            Path target = trust.publishersDir().resolve(id + ".json");
            byte[] before = Files.exists(target) ? Files.readAllBytes(target) : null;
            AtomicFiles.write(target, Files.readAllBytes(file));
            TrustedPublisher p;
            try {
                p = trust.publisher(id).orElseThrow();
            } catch (RuntimeException e) {
                if (before == null) {
                    Files.deleteIfExists(target);
                } else {
                    AtomicFiles.write(target, before);
                }
                throw e;
            }
            gw.audit().append(AuditEntries.system(Instant.now(), WorkspaceOption.actor(), gw.config().workspaceId(),
                "publisher.trusted", CanonicalJson.MAPPER.createObjectNode().put("publisher_id", id)
                    .put("fingerprint", p.fingerprint())));
            out().println("trusted " + id + " (" + p.fingerprint() + ") -> " + target);
            if (!gw.policy().loadPack().allowlists().publishers().contains(id)) {
                out().println("note: the policy pack does not allow " + id + " yet; add it to allowlists.publishers in "
                    + gw.workspace().policyDir().resolve(gw.policy().loadPack().packId() + ".yaml"));
            }
            return ExitCodes.OK;
        }
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
