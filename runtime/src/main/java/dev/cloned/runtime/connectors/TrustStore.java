package dev.cloned.runtime.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The workspace's trust: publisher trust roots in {@code .cloned/trust/publishers/} and revocations in
 * {@code .cloned/trust/revocations.json}. Re-read on every check, so an edit applies at once.
 */
public final class TrustStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Revoked keys (fingerprint -> reason) and yanked versions ("id@version" -> reason). */
    public record Revocations(Map<String, String> revokedKeys, Map<String, String> yanked) {
        public Revocations {
            revokedKeys = Map.copyOf(revokedKeys);
            yanked = Map.copyOf(yanked);
        }
    }

    private final Path trustDir;

    public TrustStore(Path clonedDir) {
        this.trustDir = clonedDir.resolve("trust");
    }

    /** The directory holding publisher trust roots. */
    public Path publishersDir() {
        return trustDir.resolve("publishers");
    }

    /** The revocations file. */
    public Path revocationsFile() {
        return trustDir.resolve("revocations.json");
    }

    /** The trust root of {@code publisherId}, if the workspace has one. */
    public Optional<TrustedPublisher> publisher(String publisherId) {
        if (!publisherId.matches("[a-z0-9][a-z0-9._-]{1,99}")) {
            return Optional.empty();
        }
        Path file = publishersDir().resolve(publisherId + ".json");
        JsonNode doc;
        try {
            doc = JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, "trust root " + file + " is not valid JSON: " + e.getMessage(), null, e);
        }
        List<String> problems = Schemas.validate(Schemas.PUBLISHER, doc);
        if (!problems.isEmpty()) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, "trust root " + file + " is invalid: " + String.join("; ", problems));
        }
        if (!publisherId.equals(doc.get("publisher_id").asText())) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, "trust root " + file + " names publisher '"
                    + doc.get("publisher_id").asText() + "', not '" + publisherId + "'");
        }
        try {
            var key = PublisherKeys.publicKey(doc.get("public_key").asText());
            return Optional.of(new TrustedPublisher(publisherId, doc.get("name").asText(), key,
                    PublisherKeys.fingerprint(key), Instant.parse(doc.get("verified_at").asText())));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, "trust root " + file + " has no valid Ed25519 public key", null, e);
        }
    }

    /** The current revocations; an absent file means none. */
    public Revocations revocations() {
        JsonNode doc;
        try {
            doc = JSON.readTree(Files.readAllBytes(revocationsFile()));
        } catch (NoSuchFileException e) {
            return new Revocations(Map.of(), Map.of());
        } catch (IOException e) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, revocationsFile() + " is not valid JSON: " + e.getMessage(), null, e);
        }
        List<String> problems = Schemas.validate(Schemas.REVOCATIONS, doc);
        if (!problems.isEmpty()) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, revocationsFile() + " is invalid: " + String.join("; ", problems));
        }
        Map<String, String> keys = new TreeMap<>();
        doc.path("revoked_keys").forEach(k -> keys.put(k.get("fingerprint").asText(), k.path("reason").asText("revoked")));
        Map<String, String> yanked = new TreeMap<>();
        doc.path("yanked").forEach(y -> yanked.put(y.get("id").asText() + "@" + y.get("version").asText(), y.get("reason").asText()));
        return new Revocations(keys, yanked);
    }
}
