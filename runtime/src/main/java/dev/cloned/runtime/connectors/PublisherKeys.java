package dev.cloned.runtime.connectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.runtime.files.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * Publisher key pairs for connector authors: Ed25519 through the JDK. The private key is a PKCS#8 PEM file
 * readable by its owner only; the public half is a publisher JSON (the trust root users install).
 */
public final class PublisherKeys {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String PEM_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String PEM_END = "-----END PRIVATE KEY-----";

    /** The public result of {@link #generate}. */
    public record PublisherKey(String publisherId, String publicKeyBase64, String fingerprint) {
    }

    private PublisherKeys() {
    }

    /**
     * Generates a key pair: writes the private key to {@code privateKeyFile} (mode 0600, never overwritten)
     * and the publisher JSON ({@code publisher.schema.json}) to {@code publisherJson}.
     */
    public static PublisherKey generate(String publisherId, String name, Path privateKeyFile, Path publisherJson, Clock clock) {
        if (!publisherId.matches("[a-z0-9][a-z0-9._-]{1,99}")) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, "invalid publisher id '" + publisherId + "'",
                    "use lower-case letters, digits, '.', '_' or '-'");
        }
        if (Files.exists(privateKeyFile)) {
            throw new ClonedException(ErrorCode.CONFLICT, "private key file " + privateKeyFile + " already exists",
                    "choose another path; an existing key is never overwritten");
        }
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            String pem = PEM_BEGIN + "\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(pair.getPrivate().getEncoded()) + "\n" + PEM_END + "\n";
            AtomicFiles.writePrivate(privateKeyFile, pem.getBytes(StandardCharsets.US_ASCII));
            String publicKey = Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
            ObjectNode pub = JSON.createObjectNode();
            pub.put("publisher_id", publisherId);
            pub.put("public_key", publicKey);
            pub.put("name", name);
            pub.put("verified_at", clock.instant().toString());
            AtomicFiles.write(publisherJson, JSON.writeValueAsBytes(pub));
            return new PublisherKey(publisherId, publicKey, fingerprint(pair.getPublic()));
        } catch (GeneralSecurityException | IOException e) {
            throw new ClonedException(ErrorCode.INTERNAL, "cannot generate publisher key: " + e.getMessage(), null, e);
        }
    }

    /** {@code sha256:<hex>} of the key's X.509 SubjectPublicKeyInfo encoding; revocations name keys this way. */
    public static String fingerprint(PublicKey key) {
        return "sha256:" + Hashing.hex(key.getEncoded());
    }

    /** Decodes a base64 X.509 Ed25519 public key. */
    public static PublicKey publicKey(String base64) throws GeneralSecurityException {
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    /** Reads a private key written by {@link #generate}; refuses a file others can read. */
    public static PrivateKey readPrivateKey(Path file) {
        try {
            if (AtomicFiles.posix()) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
                Set<PosixFilePermission> open = EnumSet.copyOf(perms);
                open.removeAll(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
                if (!open.isEmpty()) {
                    throw new ClonedException(ErrorCode.INVALID_INPUT, "private key " + file + " has permissions "
                            + PosixFilePermissions.toString(perms) + "; it must be readable by its owner only",
                            "run: chmod 600 " + file);
                }
            }
            String text = Files.readString(file, StandardCharsets.US_ASCII);
            int b = text.indexOf(PEM_BEGIN);
            int e = text.indexOf(PEM_END);
            if (b < 0 || e < b) {
                throw new ClonedException(ErrorCode.INVALID_INPUT, file + " is not a PEM private key");
            }
            byte[] der = Base64.getMimeDecoder().decode(text.substring(b + PEM_BEGIN.length(), e));
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, "cannot read private key " + file + ": " + e.getMessage(), null, e);
        }
    }
}
