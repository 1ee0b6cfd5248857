package dev.cloned.connector.demo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A proxy selector built from {@code HTTP_PROXY}, {@code HTTPS_PROXY} and {@code NO_PROXY} (either case), the
 * variables the gateway sets to route a connector's traffic through its egress guard. The JVM ignores these
 * variables on its own, so the connector applies them explicitly.
 */
final class EnvProxySelector extends ProxySelector {
    private final Proxy http;
    private final Proxy https;
    private final List<String> noProxy;

    EnvProxySelector(Map<String, String> env) {
        this.http = proxy(get(env, "HTTP_PROXY"));
        this.https = proxy(get(env, "HTTPS_PROXY"));
        String no = get(env, "NO_PROXY");
        this.noProxy = no == null ? List.of() : List.of(no.toLowerCase(Locale.ROOT).split("\\s*,\\s*"));
    }

    @Override
    public List<Proxy> select(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        for (String n : noProxy) {
            String suffix = n.startsWith(".") ? n : "." + n;
            if (!n.isEmpty() && (n.equals("*") || host.equals(n) || host.endsWith(suffix))) {
                return List.of(Proxy.NO_PROXY);
            }
        }
        Proxy p = "https".equalsIgnoreCase(uri.getScheme()) ? https : http;
        return List.of(p == null ? Proxy.NO_PROXY : p);
    }

    @Override
    public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
        // nothing to fall back to: a connector reaches the network only through the configured proxy
    }

    /** The proxy used for {@code scheme}, or {@code null} for a direct connection. */
    Proxy proxyFor(String scheme) {
        return "https".equalsIgnoreCase(scheme) ? https : http;
    }

    private static String get(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            v = env.get(name.toLowerCase(Locale.ROOT));
        }
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static Proxy proxy(String value) {
        if (value == null) {
            return null;
        }
        URI u = URI.create(value.contains("://") ? value : "http://" + value);
        int port = u.getPort() > 0 ? u.getPort() : ("https".equals(u.getScheme()) ? 443 : 80);
        return new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(u.getHost(), port));
    }
}
