package dev.cloned.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI's one error printer passes every error line through the redactor: a usage error, a bad input and a vault
 * error that would each echo a secret-looking value print a marker instead, through the real jar.
 */
class CliErrorRedactionIT {
    private static final Pattern MARKER = Pattern.compile("\\[REDACTED:token#[0-9a-f]{8}]");
    @TempDir
    Path dir;

    /** A GitHub-token-shaped canary, built at run time so the tree holds no secret-looking literal. */
    private static String canary() {
        return "gh" + "p_" + UUID.randomUUID().toString().replace("-", "") + "Zz9Yx8";
    }

    private static String marker(String text) {
        Matcher m = MARKER.matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return m.group();
    }

    @Test
    void should_redact_the_error_line_and_write_nothing_when_bad_input_echoes_a_token_outside_a_workspace()
        throws Exception {
        String token = canary();
        CliProcess.Run r = CliProcess.run(dir, "call", "cloned.internal.echo@v1", "--input", token);
        assertThat(r.exit()).as(r.all()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).startsWith("error: --input is not valid JSON").contains("[invalid_input]")
            .contains("  fix: ").contains("[REDACTED:token#");
        assertThat(r.all()).doesNotContain(token);
        assertThat(dir.resolve(".cloned")).as("an error line writes no salt, no workspace").doesNotExist();
    }

    @Test
    void should_redact_the_message_when_an_unknown_option_carries_a_token() throws Exception {
        String token = canary();
        CliProcess.Run r = CliProcess.run(dir, "call", "cloned.internal.echo@v1", "--token=" + token);
        assertThat(r.exit()).as(r.all()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).startsWith("Unknown option: '--token=[REDACTED:token#").contains("Usage: cloned call");
        assertThat(r.all()).doesNotContain(token);
    }

    @Test
    void should_redact_with_the_workspace_salt_when_a_vault_error_carries_a_token() throws Exception {
        assertThat(CliProcess.run(dir, "init", "--type", "personal").exit()).isZero();
        String token = canary();
        Path keyFile = Files.createDirectories(dir.resolve("keys")).resolve(token + ".key");
        Files.write(keyFile, new byte[32]);
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));
        CliProcess.Run provider = CliProcess.run(dir, "vault", "provider", "file", "--key-file", keyFile.toString());
        assertThat(provider.all()).doesNotContain(token);

        CliProcess.Run set = CliProcess.runWithStdin(dir, "a-value\n", "vault", "set", "canary");
        assertThat(set.exit()).as(set.all()).isEqualTo(ExitCodes.INTERNAL);
        assertThat(set.err()).startsWith("error: key file ").contains("must be readable by its owner only")
            .contains("[vault_unavailable]").contains("  fix: run: chmod 600 ");
        assertThat(set.err().lines()).hasSize(2).allSatisfy(l -> assertThat(l).contains("[REDACTED:token#"));
        assertThat(set.all()).doesNotContain(token);

        CliProcess.Run bad = CliProcess.run(dir, "call", "cloned.internal.echo@v1", "--input", token);
        assertThat(bad.all()).doesNotContain(token);
        assertThat(marker(bad.err())).as("the same value gets the same marker: the workspace's salt is used")
            .isEqualTo(marker(set.err()));
        assertThat(Files.readString(dir.resolve(".cloned/audit.log"))).doesNotContain(token);
    }
}
