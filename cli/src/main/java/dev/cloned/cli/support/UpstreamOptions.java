package dev.cloned.cli.support;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.gateway.mcp.UpstreamMcpTools;
import dev.cloned.runtime.redact.Redactor;
import dev.cloned.runtime.vault.VaultRef;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code --upstream} options of {@code cloned serve} and {@code cloned mcp}: MCP servers started over stdio whose
 * tools the gateway fronts, governed like any other.
 */
public final class UpstreamOptions {
    /** How long an upstream may take to answer, the handshake included. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Option(names = "--upstream", paramLabel = "ID=COMMAND",
        description = "Front an MCP server started over stdio; its tools register as ID.<tool>@v1 (repeatable). "
            + "COMMAND is split into words like a shell does for quotes and backslashes.")
    List<String> upstreams = new ArrayList<>();
    @Option(names = "--upstream-publisher", paramLabel = "PUBLISHER", defaultValue = "upstream.unverified",
        description = "Publisher recorded for upstream tools; the pack's allowlists.publishers decides (default: ${DEFAULT-VALUE}).")
    String publisher;
    @Option(names = "--upstream-env", paramLabel = "NAME",
        description = "Pass the gateway's environment variable NAME to every upstream (repeatable). Upstreams get only "
            + "PATH, HOME, USER, LOGNAME, SHELL, TERM, LANG, LC_ALL, LC_CTYPE, TZ and TMPDIR otherwise.")
    List<String> env = new ArrayList<>();
    @Option(names = "--upstream-secret", paramLabel = "NAME=vault://SECRET",
        description = "Give every upstream the environment variable NAME with the value of the workspace vault's SECRET "
            + "(repeatable); the value is redacted from whatever an upstream returns or logs.")
    List<String> secrets = new ArrayList<>();

    /** The started upstreams; closing stops them all. */
    public static final class Started implements AutoCloseable {
        private final List<UpstreamMcpTools> all = new ArrayList<>();

        @Override
        public void close() {
            all.forEach(UpstreamMcpTools::close);
        }
    }

    /**
     * Checks every spec, variable and secret, then starts each upstream and registers its tools with {@code gw}. If
     * one fails to start, those already started are stopped before the error is thrown.
     */
    public Started start(ClonedGateway gw, Map<String, String> gatewayEnv) {
        Started started = new Started();
        List<UpstreamSpec> specs = upstreams.stream().map(UpstreamSpec::parse).toList();
        if (specs.isEmpty()) {
            return started;
        }
        // Everything is checked before anything starts: a variable that is not set, a secret the vault lacks.
        Map<String, String> environment = UpstreamMcpTools.environment(gatewayEnv, env);
        // Upstreams given a secret have what they return redacted (its value, and the redactor's rules); the others
        // are treated like the built-in tools, whose results go out as they are.
        Redactor redactor = secrets.isEmpty() ? null : gw.redactor();
        for (String s : secrets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new ClonedException(ErrorCode.INVALID_INPUT, "--upstream-secret '" + s + "' has no NAME=",
                    "write it as --upstream-secret GITHUB_TOKEN=vault://github-token");
            }
            String value = gw.vault().resolve(VaultRef.parse(s.substring(eq + 1)));
            redactor.registerSecret(value);
            environment.put(s.substring(0, eq), value);
        }
        try {
            for (UpstreamSpec u : specs) {
                UpstreamMcpTools t = UpstreamMcpTools.start(u.id(), u.command(), environment, redactor, TIMEOUT);
                started.all.add(t);
                t.register(gw.tools(), u.id(), publisher);
            }
            return started;
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
    }
}
