package dev.cloned.gateway.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.rules.json.CanonicalJson;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /v1/events}: server-sent events of decisions, outcomes and approvals. Events come from worker threads
 * through the event bus; nothing is serialized while nobody listens.
 */
final class EventStream {
    private static final String ADDRESS = "cloned.gateway.events";
    private final Vertx vertx;
    private final AtomicInteger listeners = new AtomicInteger();
    private volatile boolean open = true;

    EventStream(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Publishes one event (called by the governed path, on any thread). */
    void publish(ObjectNode event) {
        if (open && listeners.get() > 0) {
            String type = event.path("type").asText("event").replaceAll("[^A-Za-z0-9._-]", "_");
            vertx.eventBus().publish(ADDRESS, type + "\n" + CanonicalJson.write(event));
        }
    }

    /** Serves one subscriber until it disconnects. */
    void subscribe(RoutingContext ctx) {
        HttpServerResponse r = ctx.response();
        r.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("X-Accel-Buffering", "no");
        r.write(": connected\n\n");
        MessageConsumer<String> c = vertx.eventBus().consumer(ADDRESS, m -> {
            int nl = m.body().indexOf('\n');
            r.write("event: " + m.body().substring(0, nl) + "\ndata: " + m.body().substring(nl + 1) + "\n\n");
        });
        listeners.incrementAndGet();
        r.closeHandler(v -> {
            listeners.decrementAndGet();
            c.unregister();
        });
    }

    /** Stops publishing (at shutdown). */
    void close() {
        open = false;
    }
}
