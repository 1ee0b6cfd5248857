package dev.cloned.runtime.vault;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class DevVaultTest extends VaultContractTest {
    @Override
    Vault create(Path dir, VaultListener listener) {
        return new DevVault(dir.resolve(DevVault.DEFAULT_FILE), listener, Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC));
    }

    @Test
    void should_warn_that_it_is_development_only_when_used() throws Exception {
        Vault v = vault();
        v.set("a", "value-a");
        v.get("a");
        v.list();
        assertThat(listener.warnings).hasSize(3).allSatisfy(w -> assertThat(w).contains("development only").contains("UNENCRYPTED"));
        assertThat(v.status().developmentOnly()).isTrue();
    }

    @Test
    void should_store_plain_json_readable_only_by_owner_when_set() throws Exception {
        vault().set("a", "value-a");
        Path file = dir.resolve(DevVault.DEFAULT_FILE);
        assertThat(Files.readString(file)).contains("\"value\" : \"value-a\"").contains("DEVELOPMENT ONLY");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
}
