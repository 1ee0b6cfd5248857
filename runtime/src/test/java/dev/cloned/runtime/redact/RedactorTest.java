package dev.cloned.runtime.redact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class RedactorTest {
    private static final byte[] SALT = "0123456789abcdef0123456789abcdef".getBytes();
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Redactor redactor = new Redactor(SALT, "/home/alice");
    // Assembled at run time so the source holds nothing a secret scanner would (rightly) flag.
    private static final String GH_CLASSIC = "gh" + "p_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij";
    private static final String PG_SCHEME = "post" + "gres";

    /** note, input, the sensitive part, its class, a part that must survive. */
    static Stream<Arguments> textCases() {
        return Stream.of(
                arguments("authorization header line", "Authorization: Bearer abc.def.ghi-123456", "abc.def.ghi-123456", "header", "Authorization: "),
                arguments("proxy authorization header", "proxy-authorization: Basic dXNlcjpwYXNz", "dXNlcjpwYXNz", "header", "proxy-authorization: "),
                arguments("authorization in JSON text", "{\"Authorization\":\"Bearer tok_1234567890\",\"n\":1}", "tok_1234567890", "header", "\"n\":1"),
                arguments("bare bearer token", "sent with bearer AbCdEf0123456789xyz to api", "AbCdEf0123456789xyz", "token", "to api"),
                arguments("github classic token", "token " + GH_CLASSIC + " used", GH_CLASSIC, "token", " used"),
                arguments("github fine-grained token", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123", "token", ""),
                arguments("aws access key id", "aws key AKIAIOSFODNN7EXAMPLE here", "AKIAIOSFODNN7EXAMPLE", "token", " here"),
                arguments("jwt", "jwt=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U ok",
                        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0", "token", " ok"),
                arguments("openai style key", "key sk-proj-abcdefghijklmnopqrstuvwx1234 end", "sk-proj-abcdefghijklmnopqrstuvwx1234", "token", " end"),
                arguments("anthropic style key", "sk-ant-api03-abcdefghijklmnopqrstuvwxyz", "sk-ant-api03-abcdefghijklmnopqrstuvwxyz", "token", ""),
                arguments("password in key=value", "db password=hunter2!x and more", "hunter2!x", "secret", " and more"),
                arguments("client secret in query", "https://x.example/cb?client_secret=s3cr3tv4l&state=1", "s3cr3tv4l", "secret", "&state=1"),
                arguments("api key in JSON text", "{\"api_key\": \"k-123456789\"}", "k-123456789", "secret", "{\"api_key\": \""),
                arguments("password in URL", PG_SCHEME + "://app:pa55word@db.internal:5432/x", "pa55word", "secret", "@db.internal:5432/x"),
                arguments("email", "contact alice.smith+ops@example.co.uk today", "alice.smith+ops@example.co.uk", "pii", "contact "),
                arguments("linux home path", "reading /home/bob/projects/x/.cloned", "/home/bob", "path", "/projects/x/.cloned"),
                arguments("mac home path", "at /Users/carol/Library", "/Users/carol", "path", "/Library"),
                arguments("windows home path", "C:\\Users\\dave\\AppData", "C:\\Users\\dave", "path", "\\AppData"),
                arguments("own home directory", "config in /home/alice/.config/cloned", "/home/alice", "path", "/.config/cloned"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("textCases")
    void should_redact_sensitive_part_and_keep_context_when_text_matches(String note, String input, String sensitive, String kind, String kept) {
        String out = redactor.redact(input);
        assertThat(out).as(note).doesNotContain(sensitive).contains("[REDACTED:" + kind + "#").contains(kept);
    }

    static Stream<Arguments> harmlessCases() {
        return Stream.of(
                arguments("plain sentence", "The quick brown fox jumps over 13 lazy dogs."),
                arguments("token counts", "max_tokens=512 tokens_used: 100"),
                arguments("vault reference", "uses vault://github-token for auth"),
                arguments("relative path", "./connectors/demo/lib"),
                arguments("already redacted", "Authorization: [REDACTED:header#0a1b2c3d] password=[REDACTED:secret#0a1b2c3d]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("harmlessCases")
    void should_leave_text_alone_when_nothing_is_sensitive(String note, String input) {
        assertThat(redactor.redact(input)).as(note).isEqualTo(input);
    }

    @Test
    void should_redact_registered_secret_inside_words_and_escaped_forms_when_known() {
        String secret = "p@ss/w\"rd with space";
        redactor.registerSecret(secret);
        String json = "{\"v\":\"p@ss\\/w\\\"rd with space\",\"w\":\"p@ss/w\\\"rd with space\"}";
        String out = redactor.redact("x" + secret + "y " + json + " q=p%40ss%2Fw%22rd+with+space");
        assertThat(out).doesNotContain("w\\\"rd").doesNotContain("w\"rd").doesNotContain("%2Fw%22rd")
                .startsWith("x[REDACTED:secret#").contains("]y ");
        String marker = redactor.marker(Redactor.Kind.SECRET, secret);
        assertThat(out.split(java.util.regex.Pattern.quote(marker), -1)).hasSize(5);
    }

    @Test
    void should_correlate_same_value_and_differ_across_workspaces_when_hashing() {
        Redactor other = new Redactor("another-workspace-salt-000000000".getBytes(), null);
        String a = redactor.marker(Redactor.Kind.TOKEN, "v1");
        assertThat(redactor.marker(Redactor.Kind.TOKEN, "v1")).isEqualTo(a).matches("\\[REDACTED:token#[0-9a-f]{8}]");
        assertThat(redactor.marker(Redactor.Kind.TOKEN, "v2")).isNotEqualTo(a);
        assertThat(other.marker(Redactor.Kind.TOKEN, "v1")).isNotEqualTo(a);
    }

    @Test
    void should_ignore_too_short_values_when_registering() {
        redactor.registerSecret("ab");
        assertThat(redactor.redact("abc tab")).isEqualTo("abc tab");
    }

    /** note, key, class expected or null. */
    static Stream<Arguments> jsonKeyCases() {
        return Stream.of(
                arguments("password", "password", "secret"),
                arguments("db password camel", "dbPassword", "secret"),
                arguments("client secret", "client_secret", "secret"),
                arguments("api key dashed", "api-key", "secret"),
                arguments("private key", "private_key", "secret"),
                arguments("access token", "access_token", "token"),
                arguments("refresh token", "refreshToken", "token"),
                arguments("authorization", "Authorization", "header"),
                arguments("cookie", "Cookie", "header"),
                arguments("x-api-key", "X-Api-Key", "header"),
                arguments("ordinary key", "title", null),
                arguments("secret name is not a secret", "secret_name", null),
                arguments("token count is not a token", "max_tokens", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jsonKeyCases")
    void should_redact_values_of_sensitive_keys_when_json_tree(String note, String key, String kind) throws Exception {
        JsonNode in = JSON.readTree("{\"outer\":{\"" + key + "\":\"zz-value-1234\"},\"list\":[{\"" + key + "\":42}]}");
        JsonNode out = redactor.redact(in);
        String text = out.toString();
        if (kind == null) {
            assertThat(out).as(note).isEqualTo(in);
        } else {
            assertThat(text).as(note).doesNotContain("zz-value-1234").doesNotContain(":42")
                    .contains("[REDACTED:" + kind + "#");
        }
        assertThat(in.toString()).contains("zz-value-1234"); // input untouched
    }

    @Test
    void should_redact_nested_objects_and_free_text_when_json_tree() throws Exception {
        JsonNode in = JSON.readTree("{\"credentials\":{\"user\":\"u\",\"pw\":\"x\"},\"note\":\"mail bob@example.com\","
                + "\"ref\":\"vault://gh\",\"token\":\"vault://gh-token\",\"n\":[1,2]}");
        JsonNode out = redactor.redact(in);
        assertThat(out.get("credentials").asText()).startsWith("[REDACTED:secret#");
        assertThat(out.get("note").asText()).doesNotContain("bob@example.com").contains("[REDACTED:pii#");
        assertThat(out.get("token").asText()).isEqualTo("vault://gh-token");
        assertThat(out.get("n")).isEqualTo(in.get("n"));
        assertThat(redactor.redactJson("{\"password\":\"hunter22\"}")).doesNotContain("hunter22");
        assertThat(redactor.redactJson("not json password=hunter22")).doesNotContain("hunter22");
    }

    @Test
    void should_create_private_salt_once_when_opening_a_workspace(@TempDir Path cloned) throws Exception {
        Redactor first = Redactor.forWorkspace(cloned);
        byte[] salt = Files.readAllBytes(cloned.resolve(Redactor.SALT_FILE));
        Redactor second = Redactor.forWorkspace(cloned);
        assertThat(Files.readAllBytes(cloned.resolve(Redactor.SALT_FILE))).isEqualTo(salt);
        assertThat(first.marker(Redactor.Kind.PII, "x")).isEqualTo(second.marker(Redactor.Kind.PII, "x"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cloned.resolve(Redactor.SALT_FILE)))).isEqualTo("rw-------");
        assertThat(Arrays.equals(salt, SALT)).isFalse();
    }

    @Test
    void should_write_nothing_and_reuse_the_workspace_salt_when_opened_read_only(@TempDir Path cloned) throws Exception {
        Redactor orphan = Redactor.readOnly(cloned.resolve("missing"));
        assertThat(orphan.redact("mail me at a@example.com")).contains("[REDACTED:pii#");
        assertThat(cloned.resolve("missing")).doesNotExist();
        assertThat(cloned.resolve(Redactor.SALT_FILE)).doesNotExist();

        Redactor workspace = Redactor.forWorkspace(cloned);
        assertThat(Redactor.readOnly(cloned).marker(Redactor.Kind.PII, "x"))
            .isEqualTo(workspace.marker(Redactor.Kind.PII, "x"));
    }
}
