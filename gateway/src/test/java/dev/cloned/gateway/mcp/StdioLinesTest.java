package dev.cloned.gateway.mcp;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StdioLinesTest {
    private final List<String> lines = new ArrayList<>();

    private boolean feed(StdioMcpClient.Lines l, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return l.feed(b, b.length, (bytes, len) -> lines.add(new String(bytes, 0, len, StandardCharsets.UTF_8)));
    }

    @Test
    void should_join_a_line_split_across_reads_and_drop_crlf_and_blank_lines() {
        StdioMcpClient.Lines l = new StdioMcpClient.Lines(1024, false);

        assertThat(feed(l, "{\"a\":")).isTrue();
        assertThat(lines).isEmpty();
        assertThat(feed(l, "1}\r\n\n{\"b\":2}\n{\"c\"")).isTrue();
        assertThat(feed(l, ":3}\n")).isTrue();

        assertThat(lines).containsExactly("{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
    }

    @Test
    void should_refuse_a_line_over_the_limit_when_it_does_not_truncate() {
        StdioMcpClient.Lines l = new StdioMcpClient.Lines(8, false);

        assertThat(feed(l, "12345678\n")).isTrue();
        assertThat(feed(l, "12345")).isTrue();
        assertThat(feed(l, "6789")).isFalse();
        assertThat(lines).containsExactly("12345678");
    }

    @Test
    void should_cut_a_long_line_to_the_limit_and_go_on_with_the_next_when_it_truncates() {
        StdioMcpClient.Lines l = new StdioMcpClient.Lines(4, true);

        assertThat(feed(l, "abcdefgh")).isTrue();
        assertThat(feed(l, "ijk\nok\n")).isTrue();

        assertThat(lines).containsExactly("abcd", "ok");
    }
}
