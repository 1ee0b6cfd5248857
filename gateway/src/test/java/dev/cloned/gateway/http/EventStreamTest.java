package dev.cloned.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.tools.ToolCallEnvelope;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /v1/events} over real HTTP: ids on every event, and a reconnect with Last-Event-ID resumes exactly. */
@ExtendWith(VertxExtension.class)
class EventStreamTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    @TempDir
    Path root;
    GatewayFixture f;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        f = new GatewayFixture(vertx, root);
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    /** One server-sent event: its id, type and data. */
    private record Event(long id, String type, JsonNode data) {
    }

    /** A subscription to {@code /v1/events}, read on its own thread. */
    private final class Subscription implements AutoCloseable {
        final SseLines sse;

        Subscription(String lastEventId) throws Exception {
            HttpRequest.Builder b = f.get("/v1/events");
            if (lastEventId != null) {
                b.header("Last-Event-ID", lastEventId);
            }
            sse = new SseLines(f.client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream()).body());
            assertThat(sse.nextLine(WAIT)).isEqualTo(": connected");
        }

        /** The next {@code n} events. */
        List<Event> next(int n) throws Exception {
            List<Event> out = new ArrayList<>();
            while (out.size() < n) {
                SseLines.Event e = sse.nextEvent(WAIT);
                assertThat(e).as("the stream ended").isNotNull();
                out.add(new Event(Long.parseLong(e.id()), e.type(), CanonicalJson.MAPPER.readTree(e.data())));
            }
            return out;
        }

        @Override
        public void close() throws Exception {
            sse.close();
        }
    }

    private void echo(String tag) throws Exception {
        f.gw.calls().call(new ToolCallEnvelope("cloned.internal.echo@v1",
            CanonicalJson.MAPPER.createObjectNode().put("tag", tag), "test:events", false, null));
    }

    private static String callOf(Event e) {
        return e.data().path("data").path("call_id").asText();
    }

    @Test
    void should_resume_after_the_last_event_id_with_nothing_lost_or_repeated_when_a_client_reconnects() throws Exception {
        long last;
        try (Subscription first = new Subscription(null)) {
            echo("a");
            List<Event> seen = first.next(2);
            assertThat(seen).extracting(Event::type).containsExactly("decision", "outcome");
            assertThat(seen.get(1).id()).isGreaterThan(seen.get(0).id());
            last = seen.get(1).id();
        }
        echo("b"); // while nobody listens: kept for a reconnect
        echo("c");

        try (Subscription again = new Subscription(Long.toString(last))) {
            List<Event> missed = again.next(4);
            assertThat(missed).extracting(Event::type).containsExactly("decision", "outcome", "decision", "outcome");
            assertThat(missed).extracting(Event::id).containsExactly(last + 1, last + 2, last + 3, last + 4);
            assertThat(callOf(missed.get(0))).isEqualTo(callOf(missed.get(1))).isNotEqualTo(callOf(missed.get(2)));
            echo("d");
            assertThat(again.next(2)).extracting(Event::id).containsExactly(last + 5, last + 6);
        }
    }

    @Test
    void should_say_what_was_missed_when_a_client_resumes_from_before_what_is_kept() throws Exception {
        long first;
        try (Subscription s = new Subscription(null)) {
            echo("start");
            first = s.next(1).get(0).id();
        }
        for (int i = 0; i < EventStream.RETAINED / 2 + 1; i++) { // two events each: more than are kept
            echo("n" + i);
        }

        try (Subscription again = new Subscription(Long.toString(first))) {
            Event gap = again.next(1).get(0);
            assertThat(gap.type()).isEqualTo("events.missed");
            assertThat(gap.data().path("after").asLong()).isEqualTo(first);
            long oldest = gap.data().path("oldest_available").asLong();
            assertThat(oldest).isGreaterThan(first + 1);
            assertThat(again.next(1).get(0).id()).isEqualTo(oldest);
        }
    }
}
