package dev.cloned.gateway.auth;

import dev.cloned.error.ErrorCode;
import dev.cloned.gateway.http.Problems;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The gate in front of every route: Host and Origin against the pack's {@code ui.allowed_origins}, then a bearer
 * token (the bootstrap token from loopback while no device is approved, or a device token), then the CSRF token on
 * mutating {@code /v1} requests. Failures count per client; the {@value AuthFailures#LIMIT}th in a row is a 429.
 * Runs on the event loop and never blocks.
 */
public final class AuthGuard implements Handler<RoutingContext> {
    /** Routing-context key of the {@link Session}. */
    public static final String SESSION = "cloned.session";
    /** Header carrying the CSRF token. */
    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Set<String> PUBLIC = Set.of("/v1/pair/challenge", "/v1/pair/requests", "/v1/auth/token",
        "/openapi.yaml");
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "::1");

    private final Sessions sessions;
    private final AuthFailures failures;
    private final BooleanSupplier anyDeviceApproved;
    private final Supplier<List<String>> allowedOrigins;
    private final String bindHost;

    public AuthGuard(Sessions sessions, AuthFailures failures, BooleanSupplier anyDeviceApproved,
                     Supplier<List<String>> allowedOrigins, String bindHost) {
        this.sessions = sessions;
        this.failures = failures;
        this.anyDeviceApproved = anyDeviceApproved;
        this.allowedOrigins = allowedOrigins;
        this.bindHost = bindHost;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String problem = hostOrOriginProblem(ctx);
        if (problem != null) {
            Problems.send(ctx, ErrorCode.FORBIDDEN, problem, "open the UI from an origin listed in ui.allowed_origins");
            return;
        }
        String client = client(ctx);
        Optional<Long> wait = failures.retryAfter(client);
        if (wait.isPresent()) {
            tooMany(ctx, wait.get());
            return;
        }
        if (PUBLIC.contains(ctx.normalizedPath())) {
            ctx.next();
            return;
        }
        Optional<Session> session = sessions.lookup(bearer(ctx)).filter(s -> !s.bootstrap() || bootstrapAllowed(ctx));
        if (session.isEmpty()) {
            reject(ctx, ErrorCode.UNAUTHORIZED, "missing, unknown or expired bearer token",
                "use the bootstrap token printed by `cloned serve` (loopback, before any device is paired) or a device token");
            return;
        }
        if (mutating(ctx) && ctx.normalizedPath().startsWith("/v1/")
            && !Sessions.constantTimeEquals(ctx.request().getHeader(CSRF_HEADER), session.get().csrfToken())) {
            reject(ctx, ErrorCode.FORBIDDEN, "missing or wrong " + CSRF_HEADER + " header",
                "read csrf_token from GET /v1/auth/session and send it on every POST");
            return;
        }
        failures.succeed(client);
        ctx.put(SESSION, session.get());
        ctx.next();
    }

    /** A handler that lets the request through only when its session holds {@code scope}. */
    public static Handler<RoutingContext> require(String scope) {
        return ctx -> {
            Session s = ctx.get(SESSION);
            if (s == null || !s.has(scope)) {
                Problems.send(ctx, ErrorCode.FORBIDDEN, "this needs the '" + scope + "' scope",
                    "pair a device with that scope, or approve it with an admin");
                return;
            }
            ctx.next();
        };
    }

    /** Records an authentication failure for the request's client and answers 401/403, or 429 on the limit. */
    public void reject(RoutingContext ctx, ErrorCode code, String detail, String hint) {
        Optional<Long> locked = failures.fail(client(ctx));
        if (locked.isPresent()) {
            tooMany(ctx, locked.get());
            return;
        }
        if (code == ErrorCode.UNAUTHORIZED) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
        }
        Problems.send(ctx, code, detail, hint);
    }

    private static void tooMany(RoutingContext ctx, long seconds) {
        ctx.response().putHeader("Retry-After", Long.toString(seconds));
        Problems.send(ctx, ErrorCode.RATE_LIMITED, "too many failed authentication attempts from this client",
            "wait " + seconds + " s before trying again");
    }

    private boolean bootstrapAllowed(RoutingContext ctx) {
        return isLoopback(ctx.request().remoteAddress().host()) && !anyDeviceApproved.getAsBoolean();
    }

    private String hostOrOriginProblem(RoutingContext ctx) {
        // HTTP/1.1 Host or HTTP/2 :authority
        HostAndPort hp = ctx.request().authority();
        String authority = hp == null ? null : hp.toString();
        String host = hp == null || hp.host() == null || hp.host().isBlank() ? null
            : strip(hp.host().toLowerCase(Locale.ROOT));
        if (host == null || !(LOOPBACK_NAMES.contains(host) || host.equals(bindHost) || originHosts().contains(host))) {
            return "Host '" + authority + "' is not allowed";
        }
        String origin = ctx.request().getHeader("Origin");
        if (origin != null && !originAllowed(origin)) {
            return "Origin '" + origin + "' is not in ui.allowed_origins";
        }
        return null;
    }

    private boolean originAllowed(String origin) {
        URI o = uri(origin);
        if (o == null) {
            return false;
        }
        for (String allowed : allowedOrigins.get()) {
            URI a = uri(allowed);
            if (a != null && eq(a.getScheme(), o.getScheme()) && eq(a.getHost(), o.getHost())
                && (a.getPort() == -1 || a.getPort() == o.getPort())) {
                return true;
            }
        }
        return false;
    }

    private Set<String> originHosts() {
        return allowedOrigins.get().stream().map(AuthGuard::uri).filter(u -> u != null && u.getHost() != null)
            .map(u -> strip(u.getHost().toLowerCase(Locale.ROOT))).collect(java.util.stream.Collectors.toSet());
    }

    private static String strip(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static URI uri(String s) {
        try {
            return URI.create(s.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean eq(String a, String b) {
        return a != null && a.equalsIgnoreCase(b);
    }

    private static String bearer(RoutingContext ctx) {
        String h = ctx.request().getHeader("Authorization");
        return h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).trim() : null;
    }

    private static boolean mutating(RoutingContext ctx) {
        HttpMethod m = ctx.request().method();
        return !(m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS);
    }

    /** The client key failures are counted under: the remote address. */
    public static String client(RoutingContext ctx) {
        return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().host();
    }

    /** Whether an address literal is a loopback address (no DNS lookup). */
    public static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = strip(host);
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1");
    }
}
