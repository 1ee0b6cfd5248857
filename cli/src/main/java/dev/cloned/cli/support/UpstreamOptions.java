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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    @Option(names = "--upstream-env", paramLabel = "[ID:]NAME",
        description = "Pass the gateway's environment variable NAME to every upstream, or with ID: to that one only "
            + "(repeatable). Upstreams get only PATH, HOME, USER, LOGNAME, SHELL, TERM, LANG, LC_ALL, LC_CTYPE, TZ and "
            + "TMPDIR otherwise.")
    List<String> env = new ArrayList<>();
    @Option(names = "--upstream-secret", paramLabel = "[ID:]NAME=vault://SECRET",
        description = "Give every upstream, or with ID: that one only, the environment variable NAME with the value of "
            + "the workspace vault's SECRET (repeatable); the value is redacted from whatever that upstream returns or "
            + "logs.")
    List<String> secrets = new ArrayList<>();

    /** An option's value for every upstream ({@code upstream} null) or, written {@code ID:VALUE}, for one. */
    record Scoped(String upstream, String value) {
        /** Splits off an {@code ID:} scope (variable names have no ':'); an ID that names no upstream is an error. */
        static Scoped parse(String option, String text, Set<String> ids) {
            int colon = text.indexOf(':');
            int eq = text.indexOf('=');
            if (colon < 0 || eq >= 0 && eq < colon) { // vault://... after the '=' is not a scope
                return new Scoped(null, text);
            }
            String id = text.substring(0, colon);
            if (!ids.contains(id)) {
                throw new ClonedException(ErrorCode.INVALID_INPUT, option + " " + text + ": no --upstream has the id '"
                    + id + "'", "the upstreams are " + String.join(", ", ids) + "; write " + option + " ID:"
                    + text.substring(colon + 1) + " with one of them, or leave out the ID: for all");
            }
            return new Scoped(id, text.substring(colon + 1));
        }

        boolean covers(String id) {
            return upstream == null || upstream.equals(id);
        }
    }

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
        // Everything is checked before anything starts: a scope naming no upstream, a variable that is not set, a
        // secret the vault lacks.
        Set<String> ids = new LinkedHashSet<>();
        specs.forEach(u -> ids.add(u.id()));
        List<Scoped> vars = env.stream().map(v -> Scoped.parse("--upstream-env", v, ids)).toList();
        List<Scoped> given = secrets.stream().map(v -> Scoped.parse("--upstream-secret", v, ids)).toList();
        Map<String, Map<String, String>> environments = new LinkedHashMap<>();
        for (UpstreamSpec u : specs) {
            environments.put(u.id(), UpstreamMcpTools.environment(gatewayEnv,
                vars.stream().filter(v -> v.covers(u.id())).map(Scoped::value).toList()));
        }
        Set<String> withSecret = new LinkedHashSet<>();
        for (Scoped sc : given) {
            int eq = sc.value().indexOf('=');
            if (eq <= 0) {
                throw new ClonedException(ErrorCode.INVALID_INPUT, "--upstream-secret '" + sc.value() + "' has no NAME=",
                    "write it as --upstream-secret GITHUB_TOKEN=vault://github-token (or github:GITHUB_TOKEN=... for"
                        + " the upstream github only)");
            }
            String value = gw.vault().resolve(VaultRef.parse(sc.value().substring(eq + 1)));
            gw.redactor().registerSecret(value);
            for (UpstreamSpec u : specs) {
                if (sc.covers(u.id())) {
                    environments.get(u.id()).put(sc.value().substring(0, eq), value);
                    withSecret.add(u.id());
                }
            }
        }
        try {
            for (UpstreamSpec u : specs) {
                // An upstream given a secret has what it returns redacted (the value, and the redactor's rules); the
                // others are treated like the built-in tools, whose results go out as they are.
                Redactor redactor = withSecret.contains(u.id()) ? gw.redactor() : null;
                UpstreamMcpTools t = UpstreamMcpTools.start(u.id(), u.command(), environments.get(u.id()), redactor,
                    TIMEOUT);
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
