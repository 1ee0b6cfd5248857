package dev.cloned.gateway.egress;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.rules.EgressMatch;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The egress guard for connector processes: a forward HTTP proxy on 127.0.0.1 with one listening port per connector
 * (the port identifies the connector). A plain HTTP request or a {@code CONNECT} tunnel is let through only when the
 * {@link Guard} admits its host for that connector; otherwise the client gets {@code 403} and the {@link DenialSink}
 * is told (the gateway audits it). Each redirect is a new request, so it is checked again.
 */
public final class EgressProxy implements AutoCloseable {
    /** Decides whether {@code connectorId} may reach {@code host}, e.g. with the active pack's allowlists. */
    @FunctionalInterface
    public interface Guard {
        /** The egress match for this connector and host; a denied match refuses the request. */
        EgressMatch check(String connectorId, String host);
    }

    /** Told about every refused request. Must not throw. */
    @FunctionalInterface
    public interface DenialSink {
        /** A request was refused. */
        void denied(Denial denial);
    }

    /**
     * A refused request.
     *
     * @param method {@code CONNECT}, {@code GET}, ...
     * @param match how the host was resolved (never allowed)
     */
    public record Denial(String connectorId, String method, String host, int port, EgressMatch match) {
    }

    private final Guard guard;
    private final DenialSink sink;
    private final ExecutorService pool;
    private final Map<String, ServerSocket> listeners = new ConcurrentHashMap<>();

    public EgressProxy(Guard guard, DenialSink sink) {
        this.guard = Objects.requireNonNull(guard, "guard");
        this.sink = Objects.requireNonNull(sink, "sink");
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "cloned-egress-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The proxy URL for {@code connectorId} ({@code http://127.0.0.1:PORT}), opening its listener on first use. */
    public URI open(String connectorId) {
        ServerSocket s = listeners.computeIfAbsent(connectorId, this::listen);
        return URI.create("http://127.0.0.1:" + s.getLocalPort());
    }

    /** Stops accepting requests for {@code connectorId}; tunnels already open end when either side closes. */
    public void close(String connectorId) {
        ServerSocket s = listeners.remove(connectorId);
        if (s != null) {
            closeQuietly(s);
        }
    }

    /** Closes every listener and the worker threads. */
    @Override
    public void close() {
        listeners.keySet().forEach(this::close);
        pool.shutdownNow();
    }

    private ServerSocket listen(String connectorId) {
        try {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            pool.execute(() -> accept(connectorId, server));
            return server;
        } catch (IOException e) {
            throw new ClonedException(ErrorCode.CONNECTOR_FAILED, "cannot open the egress proxy for " + connectorId
                + " on 127.0.0.1: " + e.getMessage(), null, e);
        }
    }

    private void accept(String connectorId, ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                pool.execute(() -> new ProxyExchange(connectorId, client, this::check, pool).run());
            } catch (IOException e) {
                return; // closed
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return; // shutting down
            }
        }
    }

    private EgressMatch check(String connectorId, String method, String host, int port) {
        EgressMatch m;
        try {
            m = guard.check(connectorId, host);
        } catch (RuntimeException e) {
            m = new EgressMatch(host, false, "none", null, null); // a failing policy never lets traffic out
        }
        if (!m.allowed()) {
            try {
                sink.denied(new Denial(connectorId, method, m.host(), port, m));
            } catch (RuntimeException ignored) {
                // the request is refused either way; the sink reports its own failures
            }
        }
        return m;
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
