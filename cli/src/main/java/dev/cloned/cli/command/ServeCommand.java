package dev.cloned.cli.command;

import dev.cloned.cli.support.UpstreamOptions;
import dev.cloned.cli.support.WorkspaceOption;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.runtime.policy.PolicyWatcher;
import dev.cloned.gateway.http.HttpGateway;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code cloned serve}: the HTTP gateway (API, {@code /mcp}, events) until interrupted; drains calls on exit. Policy
 * edits and connector changes made by other processes apply while it runs.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Start the gateway: the HTTP API, the MCP front on /mcp and server-sent events (loopback by default).")
public final class ServeCommand implements Callable<Integer> {
    /** How often a serving gateway looks at the connector registry (a stat of two files). */
    static final Duration CONNECTOR_CHECK = Duration.ofMillis(250);
    @Mixin
    WorkspaceOption ws;
    @Option(names = "--host", paramLabel = "ADDR", description = "Address to bind (default: config gateway.host, 127.0.0.1).")
    String host;
    @Option(names = "--port", paramLabel = "PORT", description = "Port (default: config gateway.port, 7800; 0 picks one).")
    Integer port;
    @Mixin
    UpstreamOptions upstreams;
    @Option(names = "--bench-ungoverned-route", hidden = true)
    boolean benchRoute;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ClonedGateway gw = ws.open();
        List<AutoCloseable> sources = new ArrayList<>();
        Vertx vertx = Vertx.vertx();
        try {
            gw.policy().current(); // compile before listening, so a broken pack fails the start, not the first call
            // Hot reload: overlay and custom-rule edits are compiled on a worker and swapped in atomically.
            sources.add(PolicyWatcher.forWorkspace(gw.policy(), Duration.ofMillis(200)).start());
            // Connectors enabled, disabled, installed or removed by the CLI apply without a restart.
            sources.add(gw.watchConnectors(CONNECTOR_CHECK));
            sources.add(upstreams.start(gw, System.getenv()));
            String h = host != null ? host : gw.config().gateway().path("host").asText("127.0.0.1");
            int p = port != null ? port : gw.config().gateway().path("port").asInt(7800);
            HttpGateway.Options o = HttpGateway.Options.of(h, p);
            HttpGateway http = HttpGateway.start(vertx, gw, new HttpGateway.Options(o.host(), o.port(), o.maxBodyBytes(),
                o.workers(), benchRoute), Clock.systemUTC()).toCompletionStage().toCompletableFuture().get();
            PrintWriter out = spec.commandLine().getOut();
            out.println("cloned gateway on http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + http.port()
                + " (API /v1, MCP /mcp, contract /openapi.yaml)");
            out.println("bootstrap token (shown once; loopback only, until a device is paired): " + http.bootstrapToken());
            out.flush();
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    http.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // the audit chain is still closed below
                }
                close(sources, gw, vertx);
                stopped.countDown();
            }, "cloned-serve-shutdown"));
            stopped.await();
            return 0;
        } catch (Exception e) {
            close(sources, gw, vertx);
            throw e instanceof java.util.concurrent.ExecutionException && e.getCause() instanceof RuntimeException
                ? (RuntimeException) e.getCause() : e;
        }
    }

    private static void close(List<AutoCloseable> sources, ClonedGateway gw, Vertx vertx) {
        for (AutoCloseable s : sources) {
            try {
                s.close();
            } catch (Exception e) {
                // keep closing the rest; the audit log is closed last below
            }
        }
        gw.close(); // last: drains and closes the audit log
        vertx.close();
    }
}
