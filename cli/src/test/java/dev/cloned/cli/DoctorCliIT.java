package dev.cloned.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.rules.json.CanonicalJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code cloned doctor} black box: a fresh workspace passes with a warning, a tampered audit log fails with a fix. */
class DoctorCliIT {
    @TempDir
    Path ws;

    @Test
    void should_exit_0_with_warnings_and_1_with_a_fix_when_the_audit_log_was_tampered() throws Exception {
        assertThat(CliProcess.run(ws, "init", "--type", "personal").exit()).isZero();
        CliProcess.Run fresh = CliProcess.run(ws, "doctor");
        assertThat(fresh.exit()).as(fresh.all()).isZero();
        assertThat(fresh.out()).contains("ok    audit.chain").contains("warn  vault.reachable")
            .contains("fix: `cloned vault provider file").contains("0 failure(s)");

        Path log = ws.resolve(".cloned/audit.log");
        List<String> lines = Files.readAllLines(log);
        lines.set(0, lines.get(0).replace("\"kind\":\"system\"", "\"kind\":\"systen\""));
        Files.write(log, lines);

        CliProcess.Run broken = CliProcess.run(ws, "doctor");
        assertThat(broken.exit()).isEqualTo(1);
        assertThat(broken.out()).contains("fail  audit.chain").contains("line 1").contains("fix: run `cloned audit verify`");
        JsonNode json = CanonicalJson.MAPPER.readTree(CliProcess.run(ws, "doctor", "-o", "json").out());
        assertThat(json.path("status").asText()).isEqualTo("fail");
        assertThat(json.path("checks").findValuesAsText("name")).contains("disk.space", "clock.sanity", "policy.compiles");
    }

    @Test
    void should_fix_permissions_with_fix_and_list_them_only_with_a_dry_run() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.FileSystems.getDefault()
            .supportedFileAttributeViews().contains("posix"));
        assertThat(CliProcess.run(ws, "init").exit()).isZero();
        Path dir = ws.resolve(".cloned");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir.resolve("config.yaml"), PosixFilePermissions.fromString("rw-r--r--"));

        CliProcess.Run open = CliProcess.run(ws, "doctor");
        assertThat(open.exit()).isEqualTo(1);
        assertThat(open.out()).contains("fail  workspace.permissions").contains("config.yaml (rw-r--r--)")
            .contains("cloned doctor --fix");
        CliProcess.Run dry = CliProcess.run(ws, "doctor", "--fix", "--dry-run");
        assertThat(dry.out()).contains("would fix workspace.permissions");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwxr-xr-x");

        CliProcess.Run fixed = CliProcess.run(ws, "doctor", "--fix");
        assertThat(fixed.exit()).as(fixed.all()).isZero();
        assertThat(fixed.out()).contains("fixed     workspace.permissions").contains("ok    workspace.permissions");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("config.yaml"))))
            .isEqualTo("rw-------");
        assertThat(CliProcess.run(ws, "doctor", "--fix").out()).contains("nothing to fix safely");
        assertThat(CliProcess.run(ws, "audit", "verify").exit()).isZero();
    }
}
