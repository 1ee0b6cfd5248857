package dev.cloned.gateway.egress;

import dev.cloned.rules.EgressMatch;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * One client connection to the egress proxy: reads one request head, checks its host, then either refuses it
 * ({@code 403}), tunnels it ({@code CONNECT}) or forwards it with {@code Connection: close}, so that a next request
 * comes back through the proxy and is checked again.
 */
final class ProxyExchange {
    /** Checks (and reports) one request. */
    @FunctionalInterface
    interface Check {
        EgressMatch check(String connectorId, String method, String host, int port);
    }

    private static final int MAX_HEAD = 64 * 1024;
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final Set<String> HOP_HEADERS = Set.of("connection", "keep-alive", "proxy-connection",
        "proxy-authorization", "proxy-authenticate", "te", "trailer", "upgrade");

    private final String connectorId;
    private final Socket client;
    private final Check check;
    private final ExecutorService pool;

    ProxyExchange(String connectorId, Socket client, Check check, ExecutorService pool) {
        this.connectorId = connectorId;
        this.client = client;
        this.check = check;
        this.pool = pool;
    }

    void run() {
        try (Socket c = client) {
            InputStream in = new BufferedInputStream(c.getInputStream());
            OutputStream out = c.getOutputStream();
            List<String> head = readHead(in);
            if (head == null || head.isEmpty()) {
                return;
            }
            String[] line = head.get(0).split(" ");
            if (line.length != 3 || !line[2].startsWith("HTTP/")) {
                respond(out, 400, "Bad Request", "malformed request line");
                return;
            }
            if (line[0].equalsIgnoreCase("CONNECT")) {
                tunnel(line[1], in, out);
            } else {
                forward(line, head.subList(1, head.size()), in, out);
            }
        } catch (IOException e) {
            // the client or the upstream went away; nothing to report to anyone
        }
    }

    private void tunnel(String authority, InputStream in, OutputStream out) throws IOException {
        HostPort hp = HostPort.parse(authority, 443);
        if (hp == null) {
            respond(out, 400, "Bad Request", "CONNECT needs host:port");
            return;
        }
        if (!allowed("CONNECT", hp, out)) {
            return;
        }
        try (Socket up = connect(hp, out)) {
            if (up == null) {
                return;
            }
            out.write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            pump(in, up.getOutputStream(), up);
            up.getInputStream().transferTo(out);
        }
    }

    private void forward(String[] line, List<String> headers, InputStream in, OutputStream out) throws IOException {
        URI uri;
        try {
            uri = new URI(line[1]);
        } catch (URISyntaxException e) {
            respond(out, 400, "Bad Request", "request target is not a URI");
            return;
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            respond(out, 400, "Bad Request", "a proxy request needs an absolute http:// URL (use CONNECT for https)");
            return;
        }
        HostPort hp = new HostPort(HostPort.unbracket(uri.getHost()), uri.getPort() > 0 ? uri.getPort() : 80);
        if (!allowed(line[0], hp, out)) {
            return;
        }
        try (Socket up = connect(hp, out)) {
            if (up == null) {
                return;
            }
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            StringBuilder sb = new StringBuilder(line[0]).append(' ').append(path);
            if (uri.getRawQuery() != null) {
                sb.append('?').append(uri.getRawQuery());
            }
            sb.append(' ').append(line[2]).append("\r\n");
            appendHeaders(sb, headers);
            OutputStream upOut = up.getOutputStream();
            upOut.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
            upOut.flush();
            pump(in, upOut, up);
            InputStream upIn = new BufferedInputStream(up.getInputStream());
            List<String> response = readHead(upIn);
            if (response == null || response.isEmpty()) {
                respond(out, 502, "Bad Gateway", "the upstream server closed the connection");
                return;
            }
            StringBuilder rh = new StringBuilder(response.get(0)).append("\r\n");
            appendHeaders(rh, response.subList(1, response.size()));
            out.write(rh.toString().getBytes(StandardCharsets.ISO_8859_1));
            upIn.transferTo(out);
            out.flush();
        }
    }

    private boolean allowed(String method, HostPort hp, OutputStream out) throws IOException {
        EgressMatch m = check.check(connectorId, method, hp.host(), hp.port());
        if (!m.allowed()) {
            respond(out, 403, "Forbidden", "cloned egress guard: " + connectorId + " may not reach " + m.host()
                + " (" + m.describe() + ")");
            return false;
        }
        return true;
    }

    private static Socket connect(HostPort hp, OutputStream out) throws IOException {
        Socket up = new Socket();
        try {
            up.connect(new InetSocketAddress(hp.host(), hp.port()), CONNECT_TIMEOUT_MS);
            return up;
        } catch (IOException e) {
            up.close();
            respond(out, 502, "Bad Gateway", "cannot connect to " + hp.host() + ":" + hp.port() + ": " + e.getMessage());
            return null;
        }
    }

    /** Copies client bytes to the upstream in the background until the client stops sending. */
    private void pump(InputStream from, OutputStream to, Socket upstream) {
        pool.execute(() -> {
            try {
                from.transferTo(to);
                upstream.shutdownOutput();
            } catch (IOException ignored) {
                // either side closed
            }
        });
    }

    private static void appendHeaders(StringBuilder sb, List<String> headers) {
        for (String h : headers) {
            int colon = h.indexOf(':');
            String name = colon < 0 ? h : h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            if (colon > 0 && !HOP_HEADERS.contains(name)) {
                sb.append(h).append("\r\n");
            }
        }
        sb.append("Connection: close\r\n\r\n");
    }

    private static void respond(OutputStream out, int status, String reason, String message) throws IOException {
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    /** Reads header lines up to the empty line; null when the stream ends first. */
    static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int total = 0;
        int b;
        while ((b = in.read()) != -1) {
            if (++total > MAX_HEAD) {
                throw new IOException("request head larger than " + MAX_HEAD + " bytes");
            }
            if (b == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                if (s.endsWith("\r")) {
                    s = s.substring(0, s.length() - 1);
                }
                if (s.isEmpty()) {
                    return lines;
                }
                lines.add(s);
                line.reset();
            } else {
                line.write(b);
            }
        }
        return null;
    }

    /** A host and port, with IPv6 literals unbracketed. */
    record HostPort(String host, int port) {
        static HostPort parse(String authority, int defaultPort) {
            String host = authority;
            int port = defaultPort;
            int colon = authority.lastIndexOf(':');
            if (colon > 0 && colon > authority.lastIndexOf(']')) {
                host = authority.substring(0, colon);
                try {
                    port = Integer.parseInt(authority.substring(colon + 1));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            host = unbracket(host);
            return host.isEmpty() || port < 1 || port > 65535 ? null : new HostPort(host, port);
        }

        static String unbracket(String host) {
            return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        }
    }
}
