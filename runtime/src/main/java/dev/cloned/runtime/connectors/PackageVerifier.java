package dev.cloned.runtime.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Checks a package directory in a fixed order and stops at the first failure with its exact reason:
 * manifest and signature present, publisher trusted, key not revoked, signature valid over the exact manifest
 * bytes, manifest valid, publisher allowed by policy, version not yanked, every listed file present with its
 * hash, and no unlisted executable file.
 */
final class PackageVerifier {
    static final long MAX_MANIFEST_BYTES = 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> EXECUTABLE_SUFFIXES = Set.of(".jar", ".class", ".sh", ".bash", ".zsh", ".exe",
            ".bat", ".cmd", ".ps1", ".py", ".js", ".mjs", ".cjs", ".rb", ".pl", ".so", ".dll", ".dylib", ".bin", ".war");

    /** A package that passed every check, with the exact bytes that were verified. */
    record Verified(ConnectorManifest manifest, byte[] manifestBytes, byte[] signatureBytes, String manifestSha256,
                    TrustedPublisher publisher, List<String> warnings) {
    }

    private final TrustStore trust;

    PackageVerifier(TrustStore trust) {
        this.trust = trust;
    }

    /**
     * Verifies {@code dir}. With {@code strict} (installed copies) any unlisted file fails; otherwise only
     * unlisted executables fail and other unlisted files are reported as warnings (they are not installed).
     */
    Verified verify(Path dir, Set<String> allowedPublishers, boolean strict) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new ClonedException(ErrorCode.NOT_FOUND, "connector package " + dir + " is not a directory");
        }
        byte[] manifestBytes = readSmall(dir.resolve(ConnectorManifest.FILE), "package " + dir + " has no " + ConnectorManifest.FILE, ErrorCode.INVALID_INPUT);
        byte[] sigBytes = readSmall(dir.resolve(ConnectorManifest.SIGNATURE), "package " + dir + " is unsigned: "
                + ConnectorManifest.SIGNATURE + " is missing", ErrorCode.SIGNATURE_INVALID);
        JsonNode doc;
        try {
            doc = JSON.readTree(manifestBytes);
        } catch (IOException e) {
            throw new ClonedException(ErrorCode.SIGNATURE_INVALID, ConnectorManifest.FILE + " in " + dir
                    + " is not valid JSON, so it cannot be the signed manifest", null, e);
        }
        String publisherId = doc == null ? "" : doc.path("publisher_id").asText("");
        String label = doc == null ? dir.toString() : doc.path("id").asText("?") + " " + doc.path("version").asText("?");
        TrustedPublisher publisher = trust.publisher(publisherId).orElseThrow(() -> new ClonedException(
                ErrorCode.PUBLISHER_UNTRUSTED, "connector " + label + " is signed by unknown publisher '" + publisherId
                + "': no trust root " + trust.publishersDir().resolve(publisherId + ".json"),
                "add the publisher's verified public key to " + trust.publishersDir() + " only if you trust it"));
        TrustStore.Revocations revocations = trust.revocations();
        String revoked = revocations.revokedKeys().get(publisher.fingerprint());
        if (revoked != null) {
            throw new ClonedException(ErrorCode.PUBLISHER_UNTRUSTED, "connector " + label + ": the signing key of publisher '"
                    + publisherId + "' (" + publisher.fingerprint() + ") is revoked: " + revoked);
        }
        if (!signatureValid(publisher, manifestBytes, sigBytes)) {
            throw new ClonedException(ErrorCode.SIGNATURE_INVALID, "signature of " + ConnectorManifest.FILE + " in " + dir
                    + " does not verify with the key of publisher '" + publisherId + "' (" + publisher.fingerprint() + ")",
                    "the manifest or signature was changed after signing; get the package again from the publisher");
        }
        List<String> problems = Schemas.validate(Schemas.MANIFEST, doc);
        if (!problems.isEmpty()) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, "manifest of connector " + label + " is invalid: " + String.join("; ", problems));
        }
        ConnectorManifest manifest = ConnectorManifest.fromJson(doc);
        for (ToolSpec tool : manifest.tools()) {
            List<String> schemaProblems = Schemas.validateAsSchema(tool.inputSchema());
            if (!schemaProblems.isEmpty()) {
                throw new ClonedException(ErrorCode.INVALID_INPUT, "input_schema of tool " + tool.id()
                        + " is not a valid JSON Schema: " + String.join("; ", schemaProblems));
            }
        }
        if (!allowedPublishers.contains(publisherId)) {
            throw new ClonedException(ErrorCode.PUBLISHER_UNTRUSTED, "connector " + label + ": publisher '" + publisherId
                    + "' is not allowed by the policy pack (allowed: " + String.join(", ", new java.util.TreeSet<>(allowedPublishers)) + ")",
                    "add it to allowlists.publishers in the workspace policy overlay if you want its connectors");
        }
        String yanked = revocations.yanked().get(manifest.id() + "@" + manifest.version());
        if (yanked != null) {
            throw new ClonedException(ErrorCode.VERSION_YANKED, "connector " + manifest.id() + " version " + manifest.version()
                    + " was yanked: " + yanked, "install a newer version from the publisher");
        }
        List<String> warnings = checkFiles(dir, manifest, strict);
        return new Verified(manifest, manifestBytes, sigBytes, Hashing.hex(manifestBytes), publisher, warnings);
    }

    private static boolean signatureValid(TrustedPublisher publisher, byte[] manifest, byte[] sigFile) {
        try {
            byte[] sig = Base64.getDecoder().decode(new String(sigFile, StandardCharsets.US_ASCII).trim());
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(publisher.publicKey());
            verifier.update(manifest);
            return verifier.verify(sig);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static List<String> checkFiles(Path dir, ConnectorManifest m, boolean strict) {
        Set<String> listed = new HashSet<>();
        Path root = dir.toAbsolutePath().normalize();
        for (FileEntry f : m.files()) {
            Path p = safeResolve(root, f.path());
            if (!listed.add(f.path())) {
                throw new ClonedException(ErrorCode.INVALID_INPUT, "manifest of " + m.id() + " lists '" + f.path() + "' twice");
            }
            if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new ClonedException(ErrorCode.HASH_MISMATCH, "file '" + f.path() + "' of connector " + m.id() + " "
                        + m.version() + " is missing (or not a regular file)");
            }
            String actual;
            try {
                actual = Hashing.hex(p);
            } catch (IOException e) {
                throw new ClonedException(ErrorCode.HASH_MISMATCH, "cannot read file '" + f.path() + "' of connector " + m.id(), null, e);
            }
            if (!actual.equals(f.sha256())) {
                throw new ClonedException(ErrorCode.HASH_MISMATCH, "file '" + f.path() + "' of connector " + m.id() + " "
                        + m.version() + " has sha256 " + actual + " but the signed manifest says " + f.sha256(),
                        "the file was changed after signing; get the package again from the publisher");
            }
        }
        List<String> warnings = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (p.equals(root) || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                String rel = root.relativize(p).toString().replace('\\', '/');
                if (rel.equals(ConnectorManifest.FILE) || rel.equals(ConnectorManifest.SIGNATURE) || listed.contains(rel)) {
                    continue;
                }
                if (Files.isSymbolicLink(p)) {
                    throw new ClonedException(ErrorCode.SIGNATURE_INVALID, "package of " + m.id() + " contains a symbolic link '"
                            + rel + "' that the signature does not cover");
                }
                if (strict) {
                    throw new ClonedException(ErrorCode.HASH_MISMATCH, "installed connector " + m.id() + " " + m.version()
                            + " contains unexpected file '" + rel + "' that is not in its signed manifest");
                }
                if (executable(p)) {
                    throw new ClonedException(ErrorCode.SIGNATURE_INVALID, "package of " + m.id() + " contains executable file '"
                            + rel + "' that is not listed in the signed manifest");
                }
                warnings.add("unlisted file '" + rel + "' is ignored and will not be installed");
            }
        } catch (IOException e) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, "cannot list package " + dir + ": " + e.getMessage(), null, e);
        }
        return warnings;
    }

    /** Resolves a manifest path inside the package, refusing anything that could escape it. */
    static Path safeResolve(Path root, String rel) {
        boolean bad = rel.startsWith("/") || rel.contains("\\") || rel.contains("//") || rel.endsWith("/");
        for (String seg : rel.split("/")) {
            bad |= seg.equals("..") || seg.equals(".") || seg.isEmpty();
        }
        Path p = root.resolve(rel).normalize();
        if (bad || !p.startsWith(root)) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, "manifest path '" + rel + "' is not a plain relative path inside the package");
        }
        return p;
    }

    private static boolean executable(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        if (dot >= 0 && EXECUTABLE_SUFFIXES.contains(name.substring(dot))) {
            return true;
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
            return perms.contains(PosixFilePermission.OWNER_EXECUTE) || perms.contains(PosixFilePermission.GROUP_EXECUTE)
                    || perms.contains(PosixFilePermission.OTHERS_EXECUTE);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static byte[] readSmall(Path file, String missing, ErrorCode code) {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new ClonedException(code, missing);
            }
            if (Files.size(file) > MAX_MANIFEST_BYTES) {
                throw new ClonedException(ErrorCode.INVALID_INPUT, file + " is larger than " + MAX_MANIFEST_BYTES + " bytes");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ClonedException(code, missing + " (" + e.getMessage() + ")", null, e);
        }
    }
}
