package dev.cloned.runtime.audit;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The entry fragments' UTF-8 is exactly what the JDK's encoder gives, for ASCII and for everything else. */
class PreparedEntryUtf8Test {
    private static void assertSameAsJdk(String text) {
        byte[] expected = text.getBytes(StandardCharsets.UTF_8);
        assertThat(PreparedEntry.utf8(new StringBuilder(text))).as("builder: %s", text).isEqualTo(expected);
        assertThat(PreparedEntry.utf8(text)).as("string: %s", text).isEqualTo(expected);
    }

    @Test
    void should_encode_ascii_latin1_bmp_and_supplementary_text_like_the_jdk() {
        assertSameAsJdk("");
        assertSameAsJdk("{\"id\":\"aud_0123\",\"seq\":7}");
        assertSameAsJdk("caf\u00e9 \u00ff");               // Latin-1 above 0x7F: two bytes each
        assertSameAsJdk("\u65e5\u672c\u8a9e");              // BMP: three bytes each
        assertSameAsJdk("emoji \uD83D\uDE00 end");           // a surrogate pair: four bytes
        assertSameAsJdk("\u007f\u0080");                     // the boundary
    }

    @Test
    void should_encode_text_longer_than_the_thread_buffer_and_then_short_text_again() {
        String big = "x".repeat(100_000) + "\u00e9";
        assertSameAsJdk(big);
        assertSameAsJdk("a".repeat(5_000));
        assertSameAsJdk("short");
    }
}
