package dev.cloned.connector.demo;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DemoToolsTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "empty text|''|0",
            "blank text|'   '|0",
            "one word|hello|1",
            "words and spaces|'  the quick\tbrown\nfox  '|4"})
    void should_count_whitespace_separated_words_when_given_text(String note, String text, int expected) {
        assertThat(DemoTools.wordCount(text)).as(note).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "http via HTTP_PROXY|http://example.com/x|127.0.0.1:3128",
            "https via HTTPS_PROXY|https://example.com/x|127.0.0.1:3129",
            "NO_PROXY exact host|http://internal.local/x|DIRECT",
            "NO_PROXY domain suffix|https://api.corp.example/x|DIRECT"})
    void should_route_through_the_env_proxy_when_configured(String note, String url, String expected) {
        EnvProxySelector s = new EnvProxySelector(Map.of(
                "HTTP_PROXY", "http://127.0.0.1:3128",
                "https_proxy", "127.0.0.1:3129",
                "NO_PROXY", "internal.local, .corp.example"));
        Proxy p = s.select(URI.create(url)).get(0);
        String actual = p.type() == Proxy.Type.DIRECT ? "DIRECT"
                : ((InetSocketAddress) p.address()).getHostString() + ":" + ((InetSocketAddress) p.address()).getPort();
        assertThat(actual).as(note).isEqualTo(expected);
    }
}
