package dev.cloned.runtime.vault;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The behaviour every vault provider must have; one subclass per provider. */
abstract class VaultContractTest {
    @TempDir
    Path dir;
    final RecordingListener listener = new RecordingListener();
    private final List<Vault> opened = new ArrayList<>();

    /** A vault over the store in {@code dir}; two calls must see the same secrets. */
    abstract Vault create(Path dir, VaultListener listener) throws Exception;

    Vault vault() throws Exception {
        Vault v = create(dir, listener);
        opened.add(v);
        return v;
    }

    @AfterEach
    void closeAll() {
        opened.forEach(Vault::close);
    }

    @Test
    void should_return_value_when_secret_was_set() throws Exception {
        Vault v = vault();
        v.set("github-token", "s3cr3t-value-1");
        assertThat(v.get("github-token")).contains("s3cr3t-value-1");
        assertThat(v.resolve(VaultRef.parse("vault://github-token"))).isEqualTo("s3cr3t-value-1");
    }

    @Test
    void should_return_empty_when_secret_is_missing() throws Exception {
        Vault v = vault();
        assertThat(v.get("missing")).isEmpty();
        assertThatThrownBy(() -> v.require("missing"))
                .isInstanceOfSatisfying(ClonedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SECRET_NOT_FOUND));
    }

    @Test
    void should_replace_value_when_set_twice() throws Exception {
        Vault v = vault();
        v.set("api-key", "first-value");
        v.set("api-key", "second-value");
        assertThat(v.get("api-key")).contains("second-value");
        assertThat(v.list()).extracting(SecretInfo::name).containsExactly("api-key");
    }

    @Test
    void should_remove_secret_when_deleted() throws Exception {
        Vault v = vault();
        v.set("old-key", "old-value");
        assertThat(v.delete("old-key")).isTrue();
        assertThat(v.get("old-key")).isEmpty();
        assertThat(v.delete("old-key")).isFalse();
        v.set("old-key", "reused-name");
        assertThat(v.get("old-key")).contains("reused-name");
    }

    @Test
    void should_list_names_sorted_with_update_times_when_secrets_exist() throws Exception {
        Vault v = vault();
        v.set("zeta", "value-z");
        v.set("alpha", "value-a");
        v.set("OPENAI_API_KEY", "value-o");
        v.set("my.service_token", "value-m");
        List<SecretInfo> list = v.list();
        assertThat(list).extracting(SecretInfo::name).containsExactly("OPENAI_API_KEY", "alpha", "my.service_token", "zeta");
        assertThat(list).allSatisfy(i -> assertThat(i.updatedAt()).isNotNull());
        assertThat(list.toString()).doesNotContain("value-");
    }

    @Test
    void should_keep_names_with_case_and_punctuation_when_round_tripped() throws Exception {
        Vault v = vault();
        v.set("OPENAI_API_KEY", "upper-value");
        v.set("openai-api-key", "lower-value");
        assertThat(v.get("OPENAI_API_KEY")).contains("upper-value");
        assertThat(v.get("openai-api-key")).contains("lower-value");
    }

    @Test
    void should_see_secrets_when_reopened() throws Exception {
        vault().set("persisted", "kept-value");
        assertThat(vault().get("persisted")).contains("kept-value");
    }

    @Test
    void should_reject_name_when_it_is_invalid() throws Exception {
        Vault v = vault();
        for (String bad : new String[] {"", "../etc", "has space", "-leading", "a/b"}) {
            assertThatThrownBy(() -> v.set(bad, "x"))
                    .as(bad)
                    .isInstanceOfSatisfying(ClonedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT));
        }
    }

    @Test
    void should_report_reachable_when_usable() throws Exception {
        Vault v = vault();
        v.set("one", "value-1");
        VaultStatus s = v.status();
        assertThat(s.reachable()).isTrue();
        assertThat(s.provider()).isEqualTo(v.provider());
        assertThat(s.message()).doesNotContain("value-1");
    }

    @Test
    void should_tell_listener_the_values_when_secrets_are_used() throws Exception {
        Vault v = vault();
        v.set("for-redaction", "value-to-redact");
        assertThat(listener.seen).containsEntry("for-redaction", "value-to-redact");
    }
}
