package dev.cloned.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.rules.json.CanonicalJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
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
}
