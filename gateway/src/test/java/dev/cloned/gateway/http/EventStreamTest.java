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

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /v1/events} over real HTTP: ids on every event, and a reconnect with Last-Event-ID resumes exactly. */
@ExtendWith(VertxExtension.class)
class EventStreamTest {
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

    /** A subscription read on its own thread. */
    private final class Subscription implements AutoCloseable {
        final HttpResponse<InputStream> response;
        final BufferedReader reader;

        Subscription(String lastEventId) throws Exception {
            HttpRequest.Builder b = f.get("/v1/events");
            if (lastEventId != null) {
                b.header("Last-Event-ID", lastEventId);
            }
            response = f.client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
            assertThat(reader.readLine()).isEqualTo(": connected");
        }

        /** The next {@code n} events. */
        List<Event> next(int n) throws Exception {
            return CompletableFuture.supplyAsync(() -> {
                List<Event> out = new ArrayList<>();
                try {
                    long id = -1;
                    String type = null;
                    String line;
                    while (out.size() < n && (line = reader.readLine()) != null) {
                        if (line.startsWith("id: ")) {
                            id = Long.parseLong(line.substring(4));
                        } else if (line.startsWith("event: ")) {
                            type = line.substring(7);
                        } else if (line.startsWith("data: ")) {
                            out.add(new Event(id, type, CanonicalJson.MAPPER.readTree(line.substring(6))));
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return out;
            }).get(30, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws Exception {
            response.body().close();
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
