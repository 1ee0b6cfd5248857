package dev.cloned.runtime.connectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectorInstallerTest {
    @TempDir
    Path tmp;
    TestPackages packages;
    final Set<String> allowed = new HashSet<>(Set.of(TestPackages.PUBLISHER, "cloned.official"));
    ConnectorInstaller installer;

    @BeforeEach
    void setUp() throws Exception {
        packages = new TestPackages(tmp);
        installer = new ConnectorInstaller(packages.cloned, () -> Set.copyOf(allowed), TestPackages.CLOCK);
    }

    private static void assertRejected(ThrowableAssert.ThrowingCallable call, ErrorCode code, String... inMessage) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ClonedException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            for (String part : inMessage) {
                assertThat(e.getMessage()).contains(part);
            }
        });
    }

    private void assertNothingInstalled() {
        assertThat(packages.cloned.resolve("connectors/connector.test")).doesNotExist();
        assertThat(installer.registry().entries()).isEmpty();
    }

    @Test
    void should_install_disabled_with_tools_when_package_is_signed_and_allowed() throws Exception {
        InstalledConnector c = installer.install(packages.signed("connector.test", "1.0.0", TestPackages.PUBLISHER));
        assertThat(c.enabled()).isFalse();
        assertThat(c.directory()).isEqualTo(packages.cloned.resolve("connectors/connector.test/1.0.0"));
        assertThat(c.directory().resolve("lib/tool.jar")).exists();
        assertThat(c.directory().resolve("README.md")).exists(); // listed by the signer, so installed
        assertThat(c.tools()).extracting(ToolSpec::id).containsExactly("test.echo@v1", "test.mystery@v1");
        assertThat(c.tools().get(0).mcpName()).isEqualTo("test.echo");
        assertThat(c.tools().get(1).costUnknown()).isTrue();
        assertThat(c.server().env()).containsEntry("TEST_TOKEN", "vault://test-token");
        assertThat(c.server().resolvedCommand(c.directory(), Path.of("/jdk/bin/java")))
                .containsExactly("/jdk/bin/java", "-cp", "lib/*", "test.Main");

        RegistryEntry e = installer.registry().find("connector.test").orElseThrow();
        assertThat(e.enabled()).isFalse();
        assertThat(e.installedAt()).isEqualTo(TestPackages.CLOCK.instant());
        assertThat(e.path()).isEqualTo("connectors/connector.test/1.0.0");
        var yaml = new ObjectMapper(new YAMLFactory()).readTree(packages.cloned.resolve("registry.yaml").toFile());
        assertThat(Schemas.validate(Schemas.REGISTRY, yaml)).isEmpty();
        assertThat(yaml.at("/connectors/0/tools").toString()).contains("test.echo@v1");
    }

    @Test
    void should_reject_with_hash_mismatch_when_one_byte_of_a_packaged_file_changes() throws Exception {
        Path pkg = packages.signed("connector.test", "1.0.0", TestPackages.PUBLISHER);
        TestPackages.flipByte(pkg.resolve("lib/tool.jar"), "bytes");
        assertRejected(() -> installer.install(pkg), ErrorCode.HASH_MISMATCH, "lib/tool.jar", "connector.test 1.0.0");
        assertNothingInstalled();
    }

    @Test
    void should_reject_with_signature_invalid_when_one_byte_of_the_manifest_changes() throws Exception {
        Path pkg = packages.signed("connector.test", "1.0.0", TestPackages.PUBLISHER);
        TestPackages.flipByte(pkg.resolve(ConnectorManifest.FILE), "Echo the text");
        assertRejected(() -> installer.install(pkg), ErrorCode.SIGNATURE_INVALID, "does not verify", TestPackages.PUBLISHER);
        assertNothingInstalled();
    }

    @Test
    void should_reject_with_signature_invalid_when_the_signature_changes() throws Exception {
        Path pkg = packages.signed("connector.test", "1.0.0", TestPackages.PUBLISHER);
        String sig = Files.readString(pkg.resolve(ConnectorManifest.SIGNATURE)).trim();
        Files.writeString(pkg.resolve(ConnectorManifest.SIGNATURE), (sig.charAt(0) == 'A' ? "B" : "A") + sig.substring(1));
        assertRejected(() -> installer.install(pkg), ErrorCode.SIGNATURE_INVALID, "does not verify");
    }

    @Test
    void should_reject_when_package_is_unsigned() throws Exception {
        Path pkg = packages.unsigned("connector.test", "1.0.0", TestPackages.PUBLISHER);
        assertRejected(() -> installer.install(pkg), ErrorCode.SIGNATURE_INVALID, "unsigned");
    }

    @Test
    void should_reject_when_publisher_is_unknown() throws Exception {
        Path pkg = packages.unsigned("connector.test", "1.0.0", "stranger.inc");
        PackageSigner.sign(pkg, packages.publisherKey("stranger.inc", false));
        assertRejected(() -> installer.install(pkg), ErrorCode.PUBLISHER_UNTRUSTED, "unknown publisher 'stranger.inc'");
        assertNothingInstalled();
    }

    @Test
    void should_reject_when_signed_by_another_key_than_the_trust_root() throws Exception {
        Path pkg = packages.unsigned("connector.test", "1.0.0", TestPackages.PUBLISHER);
        PackageSigner.sign(pkg, packages.publisherKey("impostor.inc", false));
        packages.publisherKey(TestPackages.PUBLISHER, true);
        assertRejected(() -> installer.install(pkg), ErrorCode.SIGNATURE_INVALID, "does not verify");
    }

    @Test
    void should_reject_when_the_publisher_key_is_revoked() throws Exception {
        Path pkg = packages.signed("connector.test", "1.0.0", TestPackages.PUBLISHER);
        String fp = new TrustStore(packages.cloned).publisher(TestPackages.PUBLISHER).orElseThrow().fingerprint();
        Files.writeString(packages.cloned.resolve("trust/revocations.json"),
                "{\"revoked_keys\": [{\"fingerprint\": \"" + fp + "\", \"reason\": \"key leaked\"}], \"yanked\": []}");
        assertRejected(() -> installer.install(pkg), ErrorCode.PUBLISHER_UNTRUSTED, "revoked", "key leaked", fp);
        assertNothingInstalled();
    }

    @Test
    void should_reject_when_the_version_is_yanked() throws Exception {
        Path pkg = packages.signed("connector.test", "1.0.0", TestPackages.PUBLISHER);
        Files.writeString(packages.cloned.resolve("trust/revocations.json"),
                "{\"yanked\": [{\"id\": \"connector.test\", \"version\": \"1.0.0\", \"reason\": \"data loss bug\"}]}");
        assertRejected(() -> installer.install(pkg), ErrorCode.VERSION_YANKED, "connector.test version 1.0.0", "data loss bug");
        assertNothingInstalled();
    }

    @Test
    void should_reject_when_the_policy_pack_does_not_allow_the_publisher() throws Exception {
        Path pkg = packages.signed("connector.test", "1.0.0", TestPackages.PUBLISHER);
        allowed.remove(TestPackages.PUBLISHER);
        assertRejected(() -> installer.install(pkg), ErrorCode.PUBLISHER_UNTRUSTED, "not allowed by the policy pack", "cloned.official");
        assertNothingInstalled();
    }

    @Test
    void should_reject_when_an_unlisted_executable_is_added() throws Exception {
        Path pkg = packages.signed("connector.test", "1.0.0", TestPackages.PUBLISHER);
        Files.writeString(pkg.resolve("lib/extra.jar"), "sneaky");
        assertRejected(() -> installer.install(pkg), ErrorCode.SIGNATURE_INVALID, "lib/extra.jar");
        Files.delete(pkg.resolve("lib/extra.jar"));
        Path script = pkg.resolve("run-me");
        Files.writeString(script, "#!/bin/sh\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertRejected(() -> installer.install(pkg), ErrorCode.SIGNATURE_INVALID, "run-me");
    }

    @Test
    void should_ignore_and_report_unlisted_plain_files_when_dry_run() throws Exception {
        Path pkg = packages.signed("connector.test", "1.0.0", TestPackages.PUBLISHER);
        Files.writeString(pkg.resolve("NOTES.txt"), "hello");
        VerificationReport r = installer.dryRun(pkg);
        assertThat(r.verified()).isTrue();
        assertThat(r.warnings()).containsExactly("unlisted file 'NOTES.txt' is ignored and will not be installed");
        assertThat(installer.install(pkg).directory().resolve("NOTES.txt")).doesNotExist();
    }

    @Test
    void should_reject_paths_that_escape_the_package_when_listed_in_a_signed_manifest() throws Exception {
        Path pkg = packages.unsigned("connector.test", "1.0.0", TestPackages.PUBLISHER);
        String manifest = Files.readString(pkg.resolve(ConnectorManifest.FILE)).replace("\"files\": []",
                "\"files\": [{\"path\": \"lib/../../outside.txt\", \"sha256\": \"" + "0".repeat(64) + "\"}]");
        byte[] bytes = manifest.getBytes(StandardCharsets.UTF_8);
        Files.write(pkg.resolve(ConnectorManifest.FILE), bytes);
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(PublisherKeys.readPrivateKey(packages.publisherKey(TestPackages.PUBLISHER, true)));
        s.update(bytes);
        Files.writeString(pkg.resolve(ConnectorManifest.SIGNATURE), Base64.getEncoder().encodeToString(s.sign()));
        assertRejected(() -> installer.install(pkg), ErrorCode.INVALID_INPUT, "lib/../../outside.txt");
    }

    @Test
    void should_install_nothing_and_report_when_dry_run() throws Exception {
        Path good = packages.signed("connector.test", "1.0.0", TestPackages.PUBLISHER);
        VerificationReport ok = installer.dryRun(good);
        assertThat(ok.verified()).isTrue();
        assertThat(ok.connectorId()).isEqualTo("connector.test");
        assertThat(ok.tools()).containsExactly("test.echo@v1", "test.mystery@v1");
        TestPackages.flipByte(good.resolve("lib/tool.jar"), "bytes");
        VerificationReport bad = installer.dryRun(good);
        assertThat(bad.verified()).isFalse();
        assertThat(bad.errorCode()).isEqualTo(ErrorCode.HASH_MISMATCH);
        assertThat(bad.reason()).contains("lib/tool.jar");
        assertThat(packages.cloned.resolve("connectors")).doesNotExist();
        assertThat(packages.cloned.resolve("registry.yaml")).doesNotExist();
    }

    @Test
    void should_find_tampering_after_install_when_verifying_all() throws Exception {
        installer.install(packages.signed("connector.test", "1.0.0", TestPackages.PUBLISHER));
        installer.install(packages.signed("connector.other", "2.0.0", TestPackages.PUBLISHER));
        assertThat(installer.verifyAll()).allSatisfy(r -> assertThat(r.verified()).isTrue());

        Path installedJar = packages.cloned.resolve("connectors/connector.test/1.0.0/lib/tool.jar");
        TestPackages.flipByte(installedJar, "bytes");
        List<VerificationReport> reports = installer.verifyAll();
        assertThat(reports).filteredOn(r -> r.connectorId().equals("connector.other")).allMatch(VerificationReport::verified);
        VerificationReport broken = installer.verifyInstalled("connector.test");
        assertThat(broken.verified()).isFalse();
        assertThat(broken.errorCode()).isEqualTo(ErrorCode.HASH_MISMATCH);
        assertThat(broken.reason()).contains("lib/tool.jar");
        assertRejected(() -> installer.enable("connector.test"), ErrorCode.HASH_MISMATCH);
        assertRejected(() -> installer.load("connector.test"), ErrorCode.HASH_MISMATCH);
        assertThat(installer.loadAll()).extracting(InstalledConnector::id).containsExactly("connector.other");
    }

    @Test
    void should_find_dropped_files_and_swapped_manifests_when_verifying_installed_copies() throws Exception {
        installer.install(packages.signed("connector.test", "1.0.0", TestPackages.PUBLISHER));
        Path dir = packages.cloned.resolve("connectors/connector.test/1.0.0");
        Files.writeString(dir.resolve("notes.txt"), "dropped in later");
        assertThat(installer.verifyInstalled("connector.test").reason()).contains("unexpected file 'notes.txt'");
        Files.delete(dir.resolve("notes.txt"));
        assertThat(installer.verifyInstalled("connector.test").verified()).isTrue();

        // A validly signed manifest of another version copied over the installed one.
        Path other = packages.signed("connector.test", "1.0.1", TestPackages.PUBLISHER);
        Files.copy(other.resolve(ConnectorManifest.FILE), dir.resolve(ConnectorManifest.FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(other.resolve(ConnectorManifest.SIGNATURE), dir.resolve(ConnectorManifest.SIGNATURE), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        VerificationReport r = installer.verifyInstalled("connector.test");
        assertThat(r.verified()).isFalse();
        assertThat(r.errorCode()).isEqualTo(ErrorCode.HASH_MISMATCH);
    }

    @Test
    void should_flag_installed_connector_when_its_key_is_revoked_later() throws Exception {
        installer.install(packages.signed("connector.test", "1.0.0", TestPackages.PUBLISHER));
        String fp = new TrustStore(packages.cloned).publisher(TestPackages.PUBLISHER).orElseThrow().fingerprint();
        Files.writeString(packages.cloned.resolve("trust/revocations.json"),
                "{\"revoked_keys\": [{\"fingerprint\": \"" + fp + "\"}]}");
        VerificationReport r = installer.verifyInstalled("connector.test");
        assertThat(r.errorCode()).isEqualTo(ErrorCode.PUBLISHER_UNTRUSTED);
    }

    @Test
    void should_flip_the_flag_when_enabled_and_disabled() throws Exception {
        installer.install(packages.signed("connector.test", "1.0.0", TestPackages.PUBLISHER));
        assertThat(installer.enable("connector.test").enabled()).isTrue();
        assertThat(installer.registry().find("connector.test").orElseThrow().enabled()).isTrue();
        assertThat(installer.disable("connector.test").enabled()).isFalse();
        assertThat(installer.registry().find("connector.test").orElseThrow().enabled()).isFalse();
        assertRejected(() -> installer.enable("connector.missing"), ErrorCode.NOT_FOUND, "connector.missing");
    }

    @Test
    void should_delete_files_and_entry_when_removed() throws Exception {
        installer.install(packages.signed("connector.test", "1.0.0", TestPackages.PUBLISHER));
        assertThat(installer.remove("connector.test")).isTrue();
        assertThat(packages.cloned.resolve("connectors/connector.test")).doesNotExist();
        assertThat(installer.registry().entries()).isEmpty();
        assertThat(installer.remove("connector.test")).isFalse();
    }

    @Test
    void should_replace_and_disable_when_another_version_is_installed() throws Exception {
        installer.install(packages.signed("connector.test", "1.0.0", TestPackages.PUBLISHER));
        installer.enable("connector.test");
        InstalledConnector v2 = installer.install(packages.signed("connector.test", "1.1.0", TestPackages.PUBLISHER));
        assertThat(v2.enabled()).isFalse();
        assertThat(installer.registry().entries()).extracting(RegistryEntry::version).containsExactly("1.1.0");
        assertThat(packages.cloned.resolve("connectors/connector.test/1.0.0")).doesNotExist();
        assertRejected(() -> installer.install(packages.root.resolve("pkg-connector.test-1.1.0-" + TestPackages.PUBLISHER)),
                ErrorCode.CONFLICT, "already installed");
    }

    @Test
    void should_keep_other_registry_keys_when_writing() throws Exception {
        Files.writeString(packages.cloned.resolve("registry.yaml"), "owner: lead\nconnectors: []\n");
        installer.install(packages.signed("connector.test", "1.0.0", TestPackages.PUBLISHER));
        assertThat(Files.readString(packages.cloned.resolve("registry.yaml"))).contains("owner: lead").contains("connector.test");
    }
}
