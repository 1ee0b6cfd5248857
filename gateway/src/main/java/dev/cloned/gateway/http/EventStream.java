package dev.cloned.gateway.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.rules.json.CanonicalJson;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /v1/events}: server-sent events of decisions, outcomes and approvals, each with an {@code id:}. Events
 * come from worker threads through the event bus. The newest {@link #RETAINED} are kept so that a client that
 * reconnects with {@code Last-Event-ID} gets what it missed, in order and once; when it asks for more than is kept it
 * first gets an {@code events.missed} event. Events are only built while someone listens, or for
 * {@link #GRACE_NANOS} after the last subscriber left (time to reconnect): a gateway nobody streams from pays
 * nothing for them.
 */
final class EventStream {
    static final int RETAINED = 1024;
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final String ADDRESS = "cloned.gateway.events";
    private final Vertx vertx;
    private final AtomicInteger listeners = new AtomicInteger();
    /** Sent events, oldest first: {@code id}, then the SSE text. Guarded by itself. */
    private final ArrayDeque<Sent> retained = new ArrayDeque<>();
    private long lastId;
    private volatile long keepUntil = Long.MIN_VALUE;
    private volatile boolean everSubscribed;
    private volatile boolean gap;
    private volatile boolean open = true;

    private record Sent(long id, String text) {
    }

    EventStream(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Whether events should be built now: someone listens, or may come back for what it missed. */
    boolean wanted() {
        return open && (listeners.get() > 0 || everSubscribed && System.nanoTime() - keepUntil < 0);
    }

    /** Publishes one event (called by the governed path, on any thread). */
    void publish(ObjectNode event) {
        if (!wanted()) {
            if (everSubscribed && !gap) { // events go unbuilt from here: a client resuming from before must be told
                synchronized (retained) {
                    lastId++; // an id no event has, so every earlier Last-Event-ID is now before a hole
                    retained.clear();
                }
                gap = true;
            }
            return;
        }
        gap = false;
        String type = event.path("type").asText("event").replaceAll("[^A-Za-z0-9._-]", "_");
        String data = CanonicalJson.write(event);
        Sent sent;
        synchronized (retained) {
            sent = new Sent(++lastId, "id: " + (lastId) + "\nevent: " + type + "\ndata: " + data + "\n\n");
            retained.addLast(sent);
            if (retained.size() > RETAINED) {
                retained.removeFirst();
            }
        }
        vertx.eventBus().publish(ADDRESS, sent.id() + "\n" + sent.text());
    }

    /** Serves one subscriber until it disconnects, first replaying what it missed when it sends Last-Event-ID. */
    void subscribe(RoutingContext ctx) {
        HttpServerResponse r = ctx.response();
        r.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("X-Accel-Buffering", "no");
        r.write(": connected\n\n");
        everSubscribed = true;
        listeners.incrementAndGet();
        long[] sentUpTo = {lastEventId(ctx.request().getHeader("Last-Event-ID"))};
        // Registered before the replay, on this event loop: live events queue behind this handler, and any the
        // replay already sent are skipped by id.
        MessageConsumer<String> c = vertx.eventBus().consumer(ADDRESS, m -> {
            int nl = m.body().indexOf('\n');
            long id = Long.parseLong(m.body().substring(0, nl));
            if (id > sentUpTo[0]) {
                sentUpTo[0] = id;
                r.write(m.body().substring(nl + 1));
            }
        });
        if (sentUpTo[0] >= 0) {
            for (String text : missed(sentUpTo)) {
                r.write(text);
            }
        }
        r.closeHandler(v -> {
            c.unregister();
            if (listeners.decrementAndGet() == 0) {
                keepUntil = System.nanoTime() + GRACE_NANOS;
            }
        });
    }

    /** What a client that saw up to {@code after[0]} missed, oldest first; moves {@code after[0]} to the newest. */
    private List<String> missed(long[] after) {
        List<String> out = new ArrayList<>();
        synchronized (retained) {
            long oldest = retained.isEmpty() ? lastId + 1 : retained.peekFirst().id();
            if (after[0] + 1 < oldest && after[0] < lastId) {
                out.add("id: " + (oldest - 1) + "\nevent: events.missed\ndata: " + CanonicalJson.MAPPER.createObjectNode()
                    .put("type", "events.missed").put("after", after[0]).put("oldest_available", oldest)
                    .put("retained", RETAINED) + "\n\n");
            }
            for (Sent s : retained) {
                if (s.id() > after[0]) {
                    out.add(s.text());
                }
            }
            after[0] = Math.max(after[0], lastId);
        }
        return out;
    }

    private static long lastEventId(String header) {
        if (header == null || header.isBlank()) {
            return -1;
        }
        try {
            return Math.max(0, Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            return 0; // not one of ours: everything retained
        }
    }

    /** Stops publishing (at shutdown). */
    void close() {
        open = false;
    }
}
