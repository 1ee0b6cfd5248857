package dev.cloned.connector.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the demo tools do, free of MCP plumbing so it can be tested directly. */
final class DemoTools {
    static final int MAX_BODY_CHARS = 500;

    private final HttpClient http;

    DemoTools(Map<String, String> env) {
        this.http = HttpClient.newBuilder()
                .proxy(new EnvProxySelector(env))
                .followRedirects(HttpClient.Redirect.NEVER) // each hop must pass the egress guard on its own
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** demo.echo: returns the text unchanged. */
    static String echo(String text) {
        return text;
    }

    /** demo.word_count: the number of whitespace-separated words. */
    static int wordCount(String text) {
        String t = text.strip();
        return t.isEmpty() ? 0 : t.split("\\s+").length;
    }

    /** demo.fetch: GET the URL through the proxy from the environment; status and the start of the body. */
    Map<String, Object> fetch(String url) throws IOException, InterruptedException {
        URI uri = URI.create(url);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("only http and https URLs can be fetched");
        }
        HttpResponse<String> resp = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        String body = resp.body();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("url", url);
        out.put("status", resp.statusCode());
        out.put("body", body.length() > MAX_BODY_CHARS ? body.substring(0, MAX_BODY_CHARS) : body);
        return out;
    }
}
