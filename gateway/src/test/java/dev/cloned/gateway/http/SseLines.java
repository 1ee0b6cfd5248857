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

    /** The next {@code data:} payload, or null when the stream ended; fails after {@code timeout}. */
    String nextData(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("no SSE data within " + timeout);
            }
            if (END.equals(line)) {
                lines.add(END);
                return null;
            }
            if (line.startsWith("data: ")) {
                return line.substring(6);
            }
        }
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
