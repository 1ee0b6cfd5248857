package dev.cloned.cli.command;

import dev.cloned.cli.support.UpstreamOptions;
import dev.cloned.cli.support.WorkspaceOption;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.gateway.connectors.ConnectorWatcher;
import dev.cloned.gateway.mcp.McpFront;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code cloned mcp}: the governed MCP server on stdio, until the client closes standard input. */
@Command(name = "mcp", mixinStandardHelpOptions = true,
    description = "Serve MCP on stdio: the built-in and enabled connectors' tools, every call governed.")
public final class McpCommand implements Callable<Integer> {
    @Mixin
    WorkspaceOption ws;
    @Mixin
    UpstreamOptions upstreams;

    @Override
    public Integer call() throws Exception {
        CountDownLatch eof = new CountDownLatch(1);
        InputStream in = new FilterInputStream(System.in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b < 0) {
                    eof.countDown();
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                if (n < 0) {
                    eof.countDown();
                }
                return n;
            }
        };
        // Upstreams start before the front, so the client's first tools/list has their tools.
        try (ClonedGateway gw = ws.open(); UpstreamOptions.Started started = upstreams.start(gw, System.getenv());
             McpFront front = McpFront.stdio(gw, gw.calls()::call, in, System.out);
             ConnectorWatcher watcher = gw.watchConnectors(ServeCommand.CONNECTOR_CHECK)) {
            eof.await(); // connectors the CLI enables meanwhile reach the client as tools/list_changed
        }
        return 0;
    }
}
