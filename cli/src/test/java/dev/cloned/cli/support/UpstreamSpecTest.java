package dev.cloned.cli.support;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code --upstream ID=COMMAND}: words split like a shell's quotes, and one clear error for each bad form. */
class UpstreamSpecTest {
    @Test
    void should_split_the_command_into_words_keeping_quoted_blanks() {
        UpstreamSpec s = UpstreamSpec.parse("files=npx -y  server-filesystem \"/home/me/My Documents\" 'it''s' a\\ b");
        assertThat(s.id()).isEqualTo("files");
        assertThat(s.command()).containsExactly("npx", "-y", "server-filesystem", "/home/me/My Documents", "its", "a b");
        assertThat(UpstreamSpec.parse("up.every=node /opt/x/index.js stdio").command())
            .containsExactly("node", "/opt/x/index.js", "stdio");
        assertThat(UpstreamSpec.parse("e=node --flag=a=b ''").command()).containsExactly("node", "--flag=a=b", "");
        assertThat(UpstreamSpec.words("'single \"keeps\" \\ backslash'")).isEqualTo(List.of("single \"keeps\" \\ backslash"));
    }

    @Test
    void should_refuse_a_spec_without_id_command_or_closed_quotes_saying_which() {
        assertRefused("node server.js", "has no '='");
        assertRefused("Files=node x", "must be lower-case");
        assertRefused("=node x", "must be lower-case");
        assertRefused("files=   ", "has no command");
        assertRefused("files=node \"/tmp/a b", "unclosed \" quote");
        assertRefused("files=node x\\", "lone backslash");
    }

    private static void assertRefused(String spec, String why) {
        assertThatThrownBy(() -> UpstreamSpec.parse(spec)).isInstanceOfSatisfying(ClonedException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
            assertThat(e.getMessage()).contains(why);
            assertThat(e.hint()).contains("--upstream 'files=");
        });
    }
}
