package dev.cloned.runtime.vault;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileVaultTest extends VaultContractTest {
    private static final int FAST_ITERATIONS = FileVault.MIN_ITERATIONS;

    @Override
    Vault create(Path dir, VaultListener listener) {
        return FileVault.withPassphrase(dir.resolve(FileVault.DEFAULT_FILE), "correct horse battery".toCharArray(),
                FAST_ITERATIONS, listener, Clock.systemUTC());
    }

    private Path vaultFile() {
        return dir.resolve(FileVault.DEFAULT_FILE);
    }

    @Test
    void should_keep_values_out_of_the_file_when_encrypted() throws Exception {
        vault().set("canary", "PLAINTEXT-CANARY-42");
        String onDisk = Files.readString(vaultFile());
        assertThat(onDisk).doesNotContain("PLAINTEXT-CANARY-42").doesNotContain("canary").contains("AES-256-GCM");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(vaultFile()))).isEqualTo("rw-------");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void should_fail_with_one_clear_error_and_change_nothing_when_passphrase_is_wrong() throws Exception {
        vault().set("a", "value-a");
        byte[] before = Files.readAllBytes(vaultFile());
        Vault wrong = FileVault.withPassphrase(vaultFile(), "wrong passphrase".toCharArray(), FAST_ITERATIONS, listener, Clock.systemUTC());
        assertThatThrownBy(() -> wrong.get("a"))
                .isInstanceOfSatisfying(ClonedException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VAULT_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("wrong key");
                    assertThat(e.hint()).contains("left unchanged");
                });
        assertThatThrownBy(() -> wrong.set("b", "value-b")).isInstanceOf(ClonedException.class);
        assertThat(Files.readAllBytes(vaultFile())).isEqualTo(before);
        assertThat(wrong.status().reachable()).isFalse();
        assertThat(wrong.status().errorCode()).isEqualTo(ErrorCode.VAULT_UNAVAILABLE);
    }

    @Test
    void should_detect_modification_when_ciphertext_is_changed() throws Exception {
        vault().set("a", "value-a");
        String text = Files.readString(vaultFile());
        int at = text.indexOf("\"ciphertext\" : \"") + 20;
        char c = text.charAt(at);
        Files.writeString(vaultFile(), text.substring(0, at) + (c == 'A' ? 'B' : 'A') + text.substring(at + 1));
        assertThatThrownBy(() -> vault().get("a"))
                .isInstanceOfSatisfying(ClonedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VAULT_UNAVAILABLE));
    }

    @Test
    void should_work_with_key_file_when_it_is_owner_only() throws Exception {
        Path key = dir.resolve("vault.key");
        FileVault.generateKeyFile(key);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        Vault v = FileVault.withKeyFile(vaultFile(), key, listener, Clock.systemUTC());
        v.set("k", "value-k");
        assertThat(FileVault.withKeyFile(vaultFile(), key, listener, Clock.systemUTC()).get("k")).contains("value-k");
    }

    @Test
    void should_refuse_key_file_with_the_fix_when_others_can_read_it() throws Exception {
        Path key = dir.resolve("vault.key");
        FileVault.generateKeyFile(key);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        Vault v = FileVault.withKeyFile(vaultFile(), key, listener, Clock.systemUTC());
        assertThatThrownBy(() -> v.set("k", "value-k"))
                .isInstanceOfSatisfying(ClonedException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VAULT_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("rw-r--r--").contains("owner only");
                    assertThat(e.hint()).isEqualTo("run: chmod 600 " + key.toAbsolutePath());
                });
        assertThat(vaultFile()).doesNotExist();
    }

    @Test
    void should_fail_clearly_when_key_file_is_wrong() throws Exception {
        Path key1 = dir.resolve("one.key");
        Path key2 = dir.resolve("two.key");
        FileVault.generateKeyFile(key1);
        FileVault.generateKeyFile(key2);
        FileVault.withKeyFile(vaultFile(), key1, listener, Clock.systemUTC()).set("k", "value-k");
        assertThatThrownBy(() -> FileVault.withKeyFile(vaultFile(), key2, listener, Clock.systemUTC()).get("k"))
                .isInstanceOfSatisfying(ClonedException.class, e -> assertThat(e.getMessage()).contains("wrong key"));
    }

    @Test
    void should_explain_how_to_give_a_key_when_no_passphrase_is_set() {
        assertThatThrownBy(() -> Vaults.open(VaultConfig.file(), dir, Environment.of(Map.of()), listener))
                .isInstanceOfSatisfying(ClonedException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VAULT_UNAVAILABLE);
                    assertThat(e.hint()).contains("CLONED_VAULT_PASSPHRASE");
                });
    }

    @Test
    void should_refuse_weak_iteration_counts_when_configured() {
        assertThatThrownBy(() -> FileVault.withPassphrase(vaultFile(), "p".toCharArray(), 1000, listener, Clock.systemUTC()))
                .isInstanceOfSatisfying(ClonedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT));
    }

    @Test
    void should_not_leak_passphrase_when_status_is_reported() throws Exception {
        Vault v = vault();
        v.set("a", "value-a");
        assertThat(v.status().toString()).doesNotContain("correct horse battery");
        assertThat(new String(Files.readAllBytes(vaultFile()), StandardCharsets.UTF_8)).doesNotContain("correct horse");
    }
}
