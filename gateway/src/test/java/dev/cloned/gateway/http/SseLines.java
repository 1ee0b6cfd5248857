package dev.cloned.gateway.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Reads an SSE body line by line on its own thread, so a test waits for the next event with a bound. */
final class SseLines implements AutoCloseable {
    private static final String END = "\u0000end";
    private final InputStream in;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    SseLines(InputStream in) {
        this.in = in;
        Thread t = new Thread(this::pump, "sse-test-reader");
        t.setDaemon(true);
        t.start();
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the stream was closed by the test or the server: same as its end
        }
        lines.add(END);
    }

    /** One event: its {@code id:}, {@code event:} type (each null when it had none) and {@code data:}. */
    record Event(String id, String type, String data) {
    }

    /** The next line, or null when the stream ended; fails after {@code timeout}. */
    String nextLine(Duration timeout) throws InterruptedException {
        String line = lines.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (line == null) {
            throw new AssertionError("no SSE line within " + timeout);
        }
        if (END.equals(line)) {
            lines.add(END);
            return null;
        }
        return line;
    }

    /** The next event, or null when the stream ended; fails after {@code timeout}. */
    Event nextEvent(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String id = null;
        String type = null;
        while (true) {
            String line = nextLine(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (line == null) {
                return null;
            }
            if (line.startsWith("id: ")) {
                id = line.substring(4);
            } else if (line.startsWith("event: ")) {
                type = line.substring(7);
            } else if (line.startsWith("data: ")) {
                return new Event(id, type, line.substring(6));
            }
        }
    }

    /** The next {@code data:} payload, or null when the stream ended; fails after {@code timeout}. */
    String nextData(Duration timeout) throws InterruptedException {
        Event e = nextEvent(timeout);
        return e == null ? null : e.data();
    }

    /** Every remaining {@code data:} payload until the server ends the stream. */
    List<String> remainingData(Duration timeout) throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (String d = nextData(timeout); d != null; d = nextData(timeout)) {
            out.add(d);
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
