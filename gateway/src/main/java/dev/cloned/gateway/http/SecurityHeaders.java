package dev.cloned.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/** Puts the security headers on every response, errors included: strict CSP (no inline script), no framing, etc. */
public final class SecurityHeaders implements Handler<RoutingContext> {
    /** The Content-Security-Policy sent with every response. */
    public static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @Override
    public void handle(RoutingContext ctx) {
        apply(ctx.response().headers());
        ctx.next();
    }

    /** Sets the headers (also used for responses that fail before this handler runs, e.g. 413). */
    static void apply(MultiMap h) {
        h.set("Content-Security-Policy", CSP);
        h.set("X-Frame-Options", "DENY");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Cross-Origin-Opener-Policy", "same-origin");
        h.set("Cross-Origin-Resource-Policy", "same-origin");
        h.set("Cache-Control", "no-store");
    }
}
