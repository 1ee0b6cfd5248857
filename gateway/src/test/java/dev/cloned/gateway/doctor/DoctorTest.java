package dev.cloned.gateway.doctor;

import dev.cloned.gateway.ClonedGateway;
import dev.cloned.gateway.connectors.CrashingServer;
import dev.cloned.gateway.connectors.TestConnectorServer;
import dev.cloned.gateway.connectors.TestPackages;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.WorkspaceInit;
import dev.cloned.runtime.tools.CallResult;
import dev.cloned.runtime.tools.ToolCallEnvelope;
import dev.cloned.runtime.vault.Environment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Every doctor check on a real workspace: all pass on a fresh one, and each fails when its problem is made real. */
class DoctorTest {
    private static final Environment ENV = Environment.of(Map.of());
    @TempDir
    Path root;
    Workspace ws;
    ClonedGateway gw;

    @BeforeEach
    void setUp() throws Exception {
        ws = Workspace.at(root.resolve("ws"));
        new WorkspaceInit(ws, Clock.systemUTC()).run("personal", false);
        Files.writeString(ws.policyDir().resolve("policy.personal.default.yaml"),
            "allowlists:\n  publishers: [test.publisher]\n");
        gw = ClonedGateway.open(ws, Clock.systemUTC(), ENV);
    }

    @AfterEach
    void tearDown() {
        gw.close();
    }

    private DoctorReport doctor() {
        return doctor(Clock.systemUTC(), Doctor.Limits.DEFAULT);
    }

    private DoctorReport doctor(Clock clock, Doctor.Limits limits) {
        return new Doctor(gw, clock, ENV, limits).run(null);
    }

    private DoctorCheck check(DoctorReport r, String name) {
        return r.check(name).orElseThrow(() -> new AssertionError("no check " + name + " in " + r.toJson()));
    }

    private void assertFails(DoctorReport r, String name, String detail) {
        DoctorCheck c = check(r, name);
        assertThat(c.status()).as(c.toString()).isEqualTo(DoctorCheck.Status.FAIL);
        assertThat(c.detail()).contains(detail);
        assertThat(c.hint()).isNotBlank();
        assertThat(r.ok()).isFalse();
        assertThat(r.toJson().path("status").asText()).isEqualTo("fail");
    }

    private void enableTestConnector(String mainClass) throws Exception {
        gw.installer().install(TestPackages.build(root, ws.dir(), Map.of(), mainClass));
        gw.connectors().enable(TestPackages.ID);
    }

    private CallResult echo() throws Exception {
        return gw.calls().call(new ToolCallEnvelope("test.echo@v1", CanonicalJson.MAPPER.readTree("{\"text\":\"hi\"}"),
            "test:doctor", false, null));
    }

    @Test
    void should_pass_with_only_the_dev_vault_warning_when_the_workspace_is_fresh() {
        DoctorReport r = doctor();

        assertThat(r.ok()).as(r.toJson().toString()).isTrue();
        assertThat(r.checks()).extracting(DoctorCheck::name).containsExactly("workspace.files", "workspace.permissions",
            "disk.space",
            "clock.sanity", "audit.chain", "policy.compiles", "vault.reachable", "connectors");
        assertThat(check(r, "vault.reachable").status()).isEqualTo(DoctorCheck.Status.WARN);
        assertThat(check(r, "vault.reachable").hint()).contains("cloned vault provider file");
        assertThat(check(r, "audit.chain").detail()).as("says when a call goes on").contains("audit.sync forced");
        assertThat(r.checks()).filteredOn(c -> !c.name().equals("vault.reachable"))
            .allMatch(c -> c.status() == DoctorCheck.Status.OK);
        assertThat(r.status()).isEqualTo(DoctorCheck.Status.WARN);
    }

    @Test
    void should_report_files_open_to_others_and_take_that_access_away_only_when_fixing() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.cloned.runtime.files.AtomicFiles.posix());
        assertThat(perms(ws.dir())).isEqualTo("rwx------"); // as init creates them
        assertThat(perms(ws.stateDb())).isEqualTo("rw-------");
        Files.setPosixFilePermissions(ws.stateDb(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        assertThat(check(doctor(), "workspace.permissions").status()).as("nobody else can enter the directory")
            .isEqualTo(DoctorCheck.Status.OK);
        Files.setPosixFilePermissions(ws.dir(), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
        DoctorCheck group = check(doctor(), "workspace.permissions");
        assertThat(group.status()).isEqualTo(DoctorCheck.Status.WARN);
        assertThat(group.detail()).contains("open to the group").contains(".cloned/ (rwxr-x---)")
            .contains("state.db (rw-r-----)");

        Files.setPosixFilePermissions(ws.dir(), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(ws.auditLog(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        Doctor doctor = new Doctor(gw, Clock.systemUTC(), ENV, Doctor.Limits.DEFAULT);
        DoctorReport open = doctor.run(null);
        assertFails(open, "workspace.permissions", "open to other users");
        assertThat(check(open, "workspace.permissions").toJson().path("fix").asText()).contains("take group and other");

        List<Doctor.Applied> dry = doctor.fix(open, true, "test:doctor");
        assertThat(dry).extracting(Doctor.Applied::check).containsExactly("workspace.permissions");
        assertThat(perms(ws.auditLog())).isEqualTo("rw-rw-rw-"); // a dry run changes nothing

        List<Doctor.Applied> done = doctor.fix(open, false, "test:doctor");
        assertThat(done).singleElement().satisfies(a -> assertThat(a.error()).isNull());
        assertThat(perms(ws.dir())).isEqualTo("rwx------");
        assertThat(perms(ws.auditLog())).isEqualTo("rw-------");
        assertThat(perms(ws.stateDb())).isEqualTo("rw-------");
        assertThat(check(doctor(), "workspace.permissions").status()).isEqualTo(DoctorCheck.Status.OK);
        gw.audit().awaitFlushed();
        List<String> lines = Files.readAllLines(ws.auditLog());
        assertThat(lines.get(lines.size() - 1)).contains("\"event\":\"doctor.fixed\"").contains("workspace.permissions");
        assertThat(doctor.fix(doctor(), false, "test:doctor")).isEmpty(); // nothing left to fix
    }

    private static String perms(Path p) throws Exception {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void should_fail_audit_chain_when_a_line_was_edited() throws Exception {
        gw.audit().awaitFlushed();
        List<String> lines = Files.readAllLines(ws.auditLog());
        lines.set(0, lines.get(0).replace("\"kind\":\"system\"", "\"kind\":\"systen\""));
        Files.write(ws.auditLog(), lines);

        assertFails(doctor(), "audit.chain", "line 1");
    }

    @Test
    void should_fail_policy_when_an_overlay_rule_does_not_compile() throws Exception {
        Files.writeString(ws.policyDir().resolve("broken.drl"), "rule \"broken\" when this is not drl then end\n");

        assertFails(doctor(), "policy.compiles", "broken.drl");
    }

    @Test
    void should_fail_vault_when_the_file_provider_has_no_key() throws Exception {
        gw.close();
        ws.writeConfig(ws.config().withVault(CanonicalJson.MAPPER.readTree(
            "{\"provider\":\"file\",\"file\":{\"key_file\":\"" + root.resolve("no-such.key") + "\"}}")));
        gw = ClonedGateway.open(ws, Clock.systemUTC(), ENV);

        assertFails(doctor(), "vault.reachable", "file vault");
    }

    @Test
    void should_redact_a_secret_that_a_check_quotes() throws Exception {
        String token = "gh" + "p_" + "Zq7".repeat(12); // a GitHub token's shape, assembled so no scanner trips on it
        gw.close();
        ws.writeConfig(ws.config().withVault(CanonicalJson.MAPPER.readTree(
            "{\"provider\":\"file\",\"file\":{\"key_file\":\"" + root.resolve(token + ".key") + "\"}}")));
        gw = ClonedGateway.open(ws, Clock.systemUTC(), ENV);

        DoctorReport r = doctor();

        assertFails(r, "vault.reachable", "file vault");
        assertThat(r.toJson().toString()).doesNotContain(token).contains("[REDACTED:");
    }

    @Test
    void should_fail_the_connector_when_its_installed_copy_was_changed() throws Exception {
        enableTestConnector(TestConnectorServer.class.getName());
        assertThat(check(doctor(), "connector.connector.test").status()).isEqualTo(DoctorCheck.Status.OK);
        Files.writeString(ws.dir().resolve("connectors/connector.test/1.0.0/README.txt"), "changed after install\n");

        assertFails(doctor(), "connector.connector.test", "hash_mismatch");
    }

    @Test
    void should_fail_the_connector_when_its_process_does_not_start() throws Exception {
        enableTestConnector(CrashingServer.class.getName());
        CallResult r = echo();
        assertThat(r.status()).isEqualTo(CallResult.Status.FAILED);
        assertThat(r.error()).as("at once, not after the init timeout").contains("exited with code 3 before it answered");

        assertFails(doctor(), "connector.connector.test", "failed 1 time(s) in a row");
    }

    @Test
    void should_warn_when_the_connector_process_exited_and_pass_while_it_runs() throws Exception {
        enableTestConnector(TestConnectorServer.class.getName());
        assertThat(echo().status()).isEqualTo(CallResult.Status.SUCCEEDED);
        ProcessHandle process = gw.connectors().process(TestPackages.ID).orElseThrow();
        assertThat(check(doctor(), "connector.connector.test").detail()).contains("running (pid " + process.pid() + ")");

        process.destroyForcibly();
        process.onExit().get(30, TimeUnit.SECONDS);

        DoctorCheck c = check(doctor(), "connector.connector.test");
        assertThat(c.status()).isEqualTo(DoctorCheck.Status.WARN);
        assertThat(c.detail()).contains("exited");
    }

    @Test
    void should_fail_disk_space_below_the_limit_and_warn_below_the_warning() {
        assertFails(doctor(Clock.systemUTC(), new Doctor.Limits(Long.MAX_VALUE, Long.MAX_VALUE, Duration.ofMinutes(5))),
            "disk.space", "MiB free");
        DoctorCheck warn = check(doctor(Clock.systemUTC(), new Doctor.Limits(0, Long.MAX_VALUE, Duration.ofMinutes(5))),
            "disk.space");
        assertThat(warn.status()).isEqualTo(DoctorCheck.Status.WARN);
    }

    @Test
    void should_fail_clock_sanity_when_the_clock_is_behind_the_audit_log_or_before_2024() {
        Clock dayBack = Clock.fixed(Instant.now().minus(Duration.ofDays(1)), ZoneOffset.UTC);
        assertFails(doctor(dayBack, Doctor.Limits.DEFAULT), "clock.sanity", "the clock went back");
        Clock ancient = Clock.fixed(Instant.parse("1970-01-02T00:00:00Z"), ZoneOffset.UTC);
        assertFails(doctor(ancient, Doctor.Limits.DEFAULT), "clock.sanity", "before 2024");
    }
}
