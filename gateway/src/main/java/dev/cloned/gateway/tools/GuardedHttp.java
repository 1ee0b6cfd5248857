package dev.cloned.gateway.tools;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.rules.EgressMatch;
import dev.cloned.runtime.tools.ToolContext;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The HTTP client built-in tools use: every request, and every redirect hop, must pass the same egress check as the
 * policy decision. Redirects are followed by hand so that each new host is checked.
 */
public final class GuardedHttp {
    private static final int MAX_REDIRECTS = 5;
    private final HttpClient client = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(10))
        .build();

    /** A response: the final URL, status and body (truncated to {@code maxBytes}). */
    public record Response(URI finalUrl, int status, String body, int redirects) {
    }

    /** GET {@code url}, checking the host of each hop with {@code ctx}. */
    public Response get(URI url, ToolContext ctx, int maxBytes) throws IOException, InterruptedException {
        URI current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            check(current, ctx);
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(current).timeout(Duration.ofSeconds(30))
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() / 100 == 3 && r.headers().firstValue("location").isPresent()) {
                current = current.resolve(r.headers().firstValue("location").get());
                continue;
            }
            byte[] body = r.body();
            int n = Math.min(body.length, maxBytes);
            return new Response(current, r.statusCode(), new String(body, 0, n, java.nio.charset.StandardCharsets.UTF_8),
                hop);
        }
        throw new IOException("too many redirects (more than " + MAX_REDIRECTS + ") from " + url);
    }

    private static void check(URI uri, ToolContext ctx) {
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, "only http and https URLs with a host are allowed: " + uri);
        }
        EgressMatch m = ctx.checkEgress(uri.getHost());
        if (!m.allowed()) {
            throw new ClonedException(ErrorCode.EGRESS_DENIED, "egress to " + m.host() + " denied: " + m.describe(),
                "allow it with `cloned firewall allow " + m.host() + "` (creates an approval when done by a tool)");
        }
    }
}
