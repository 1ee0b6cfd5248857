package dev.cloned.runtime.connectors;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.runtime.files.AtomicFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Installs, verifies, enables, disables and removes signed connector packages in a workspace. Every package is
 * verified (signature, file hashes, revocations, yanked versions and the policy pack's allowed publishers)
 * before anything is written; an installed connector starts disabled and is re-verified before it is enabled
 * or loaded. Policy and approvals for enabling are the governed path's job; these are the plain operations.
 */
public final class ConnectorInstaller {
    private final Path clonedDir;
    private final Path connectorsDir;
    private final Supplier<Set<String>> allowedPublishers;
    private final Clock clock;
    private final PackageVerifier verifier;
    private final ConnectorRegistry registry;

    /**
     * @param allowedPublishers read on every check, so a reloaded policy pack applies at once
     */
    public ConnectorInstaller(Path clonedDir, Supplier<Set<String>> allowedPublishers, Clock clock) {
        this.clonedDir = clonedDir.toAbsolutePath().normalize();
        this.connectorsDir = this.clonedDir.resolve("connectors");
        this.allowedPublishers = allowedPublishers;
        this.clock = clock;
        this.verifier = new PackageVerifier(new TrustStore(this.clonedDir));
        this.registry = new ConnectorRegistry(this.clonedDir);
    }

    /** The registry this installer writes. */
    public ConnectorRegistry registry() {
        return registry;
    }

    /** Verifies a package and reports the outcome without installing anything. */
    public VerificationReport dryRun(Path packageDir) {
        try {
            PackageVerifier.Verified v = verifier.verify(packageDir, allowedPublishers.get(), false);
            return VerificationReport.passed(packageDir.toString(), v.manifest(), v.warnings());
        } catch (ClonedException e) {
            return VerificationReport.failed(packageDir.toString(), null, null, null, e);
        }
    }

    /**
     * Verifies and installs a package into {@code .cloned/connectors/<id>/<version>/} and records it, disabled.
     * A different installed version of the same connector is replaced (and disabled); the same version is a
     * {@link ErrorCode#CONFLICT}. Rejections throw with the exact reason.
     */
    public InstalledConnector install(Path packageDir) {
        PackageVerifier.Verified v = verifier.verify(packageDir, allowedPublishers.get(), false);
        ConnectorManifest m = v.manifest();
        try (AtomicFiles.ExclusiveLock ignored = AtomicFiles.lock(connectorsDir.resolve(".lock"))) {
            RegistryEntry previous = registry.find(m.id()).orElse(null);
            if (previous != null && previous.version().equals(m.version())) {
                throw new ClonedException(ErrorCode.CONFLICT, "connector " + m.id() + " " + m.version() + " is already installed",
                        "remove it first with 'cloned connectors remove " + m.id() + "'");
            }
            Path target = connectorsDir.resolve(m.id()).resolve(m.version());
            Path staging = connectorsDir.resolve(".staging").resolve(UUID.randomUUID().toString());
            try {
                copyVerified(packageDir, staging, v);
                Files.createDirectories(target.getParent());
                deleteTree(target); // a leftover from an interrupted earlier install of this version
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                AtomicFiles.fsyncDirectory(target.getParent());
            } finally {
                deleteTree(staging);
            }
            RegistryEntry entry = new RegistryEntry(m.id(), m.version(), m.publisherId(), false, clock.instant(),
                    v.manifestSha256(), clonedDir.relativize(target).toString().replace('\\', '/'),
                    m.tools().stream().map(ToolSpec::id).toList());
            registry.put(entry);
            if (previous != null) {
                deleteTree(clonedDir.resolve(previous.path()));
            }
            return new InstalledConnector(entry, target, m.server(), m.tools(), m.providesCapabilities(), m.requiresCapabilities());
        } catch (IOException e) {
            throw new ClonedException(ErrorCode.WORKSPACE_INVALID, "cannot install connector " + m.id() + ": " + e.getMessage(), null, e);
        }
    }

    /** Re-verifies the installed copy of {@code id}: tampering after install, revocations and policy changes. */
    public VerificationReport verifyInstalled(String id) {
        RegistryEntry entry = registry.find(id).orElseThrow(() -> ConnectorRegistry.notInstalled(id));
        return verifyEntry(entry);
    }

    /** Re-verifies every installed connector. */
    public List<VerificationReport> verifyAll() {
        List<VerificationReport> out = new ArrayList<>();
        for (RegistryEntry e : registry.entries()) {
            out.add(verifyEntry(e));
        }
        return out;
    }

    /** The installed connector, verified now; throws with the reason when its copy no longer verifies. */
    public InstalledConnector load(String id) {
        RegistryEntry entry = registry.find(id).orElseThrow(() -> ConnectorRegistry.notInstalled(id));
        PackageVerifier.Verified v = verifyInstalledCopy(entry);
        ConnectorManifest m = v.manifest();
        return new InstalledConnector(entry, clonedDir.resolve(entry.path()), m.server(), m.tools(),
                m.providesCapabilities(), m.requiresCapabilities());
    }

    /** All installed connectors, each verified; one that fails verification is left out of the list. */
    public List<InstalledConnector> loadAll() {
        List<InstalledConnector> out = new ArrayList<>();
        for (RegistryEntry e : registry.entries()) {
            try {
                out.add(load(e.id()));
            } catch (ClonedException ignored) {
                // reported by verifyAll(); a connector that does not verify is never offered
            }
        }
        return out;
    }

    /** Enables {@code id} after re-verifying its installed copy. */
    public InstalledConnector enable(String id) {
        load(id);
        registry.change(id, e -> e.withEnabled(true));
        return load(id);
    }

    /** Disables {@code id}. */
    public RegistryEntry disable(String id) {
        return registry.change(id, e -> e.withEnabled(false));
    }

    /** Removes {@code id} from the registry and deletes its files; returns whether it was installed. */
    public boolean remove(String id) {
        try (AtomicFiles.ExclusiveLock ignored = AtomicFiles.lock(connectorsDir.resolve(".lock"))) {
            RegistryEntry entry = registry.find(id).orElse(null);
            if (entry == null) {
                return false;
            }
            registry.remove(id);
            deleteTree(clonedDir.resolve(entry.path()));
            Path idDir = connectorsDir.resolve(id);
            try (Stream<Path> s = Files.list(idDir)) {
                if (s.findAny().isEmpty()) {
                    Files.delete(idDir);
                }
            } catch (IOException e) {
                // the id directory is kept if it cannot be listed; harmless
            }
            return true;
        } catch (IOException e) {
            throw new ClonedException(ErrorCode.WORKSPACE_INVALID, "cannot remove connector " + id + ": " + e.getMessage(), null, e);
        }
    }

    private VerificationReport verifyEntry(RegistryEntry entry) {
        try {
            PackageVerifier.Verified v = verifyInstalledCopy(entry);
            return VerificationReport.passed(entry.path(), v.manifest(), v.warnings());
        } catch (ClonedException e) {
            return VerificationReport.failed(entry.path(), entry.id(), entry.version(), entry.publisherId(), e);
        }
    }

    private PackageVerifier.Verified verifyInstalledCopy(RegistryEntry entry) {
        Path dir = clonedDir.resolve(entry.path()).normalize();
        if (!dir.startsWith(connectorsDir)) {
            throw new ClonedException(ErrorCode.WORKSPACE_INVALID, "registry path of " + entry.id() + " points outside .cloned/connectors");
        }
        PackageVerifier.Verified v = verifier.verify(dir, allowedPublishers.get(), true);
        if (!v.manifestSha256().equals(entry.manifestSha256()) || !v.manifest().id().equals(entry.id())
                || !v.manifest().version().equals(entry.version())) {
            throw new ClonedException(ErrorCode.HASH_MISMATCH, "installed connector " + entry.id() + " " + entry.version()
                    + " has a different manifest than the one installed (sha256 " + v.manifestSha256() + ", recorded "
                    + entry.manifestSha256() + ")", "remove and reinstall it from the publisher's package");
        }
        return v;
    }

    /** Copies the verified bytes: the manifest and signature as verified, each listed file re-hashed while copied. */
    private static void copyVerified(Path source, Path staging, PackageVerifier.Verified v) throws IOException {
        Files.createDirectories(staging);
        Files.write(staging.resolve(ConnectorManifest.FILE), v.manifestBytes());
        Files.write(staging.resolve(ConnectorManifest.SIGNATURE), v.signatureBytes());
        Path root = source.toAbsolutePath().normalize();
        for (FileEntry f : v.manifest().files()) {
            Path from = PackageVerifier.safeResolve(root, f.path());
            Path to = staging.resolve(f.path());
            Files.createDirectories(to.getParent());
            MessageDigest digest = Hashing.sha256();
            try (InputStream in = Files.newInputStream(from);
                 OutputStream out = new DigestOutputStream(Files.newOutputStream(to), digest)) {
                in.transferTo(out);
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(f.sha256())) {
                throw new ClonedException(ErrorCode.HASH_MISMATCH, "file '" + f.path() + "' of connector " + v.manifest().id()
                        + " changed while it was being installed (sha256 " + actual + ", manifest " + f.sha256() + ")");
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
