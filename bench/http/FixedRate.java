// Open-loop load at a fixed rate (not a test): sends POSTs at RATE/s for SECONDS over loopback and prints p50/p99.
// Latency is measured from each request's scheduled send time, so queueing delay counts (no coordinated omission).
// Requests go out on a Vert.x event loop over a bounded pool of keep-alive connections (CONNS, default 64). A pacer
// thread parks until each request is due (LockSupport.parkNanos, ~0.05-0.1 ms late here) and hands it to the loop:
// the client neither busy-spins a core of the machine it measures nor opens a connection per request. (It was paced
// by a 1 ms Vert.x timer before, which made each request up to 1 ms late by itself: too coarse for a 1 ms p99.)
// Usage: java -cp 'cli/target/cloned.jar:cli/target/lib/*' FixedRate.java URL TOKEN CSRF RATE SECONDS BODY [CONNS]
// Env: FIXED_RATE_WARM=seconds of unmeasured warm-up at RATE first (default 30; 0 for none), FIXED_RATE_DUMP=file.

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.net.URI;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

public class FixedRate {
    public static void main(String[] a) throws Exception {
        URI uri = URI.create(a[0]);
        int rate = Integer.parseInt(a[3]);
        int seconds = Integer.parseInt(a[4]);
        Buffer body = Buffer.buffer(a[5]);
        int conns = a.length > 6 ? Integer.parseInt(a[6]) : 64;
        Vertx vertx = Vertx.vertx();
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setPipelining(false),
            new PoolOptions().setHttp1MaxSize(conns).setMaxWaitQueueSize(-1));
        RequestOptions req = new RequestOptions().setMethod(HttpMethod.POST).setHost(uri.getHost())
            .setPort(uri.getPort()).setURI(uri.getRawPath()).putHeader("Authorization", "Bearer " + a[1])
            .putHeader("X-CSRF-Token", a[2]).putHeader("Content-Type", "application/json");

        // warm-up at the measured rate, FIXED_RATE_WARM seconds (default 30): the gateway's JIT settles on this load's
        // profile (after run.sh's saturation part, the first 15 s at 3,000/s had a tail the next ones did not)
        String warmEnv = System.getenv("FIXED_RATE_WARM");
        int warm = warmEnv == null ? 30 : Integer.parseInt(warmEnv);
        if (warm > 0) {
            run(vertx, client, req, body, rate, warm, new long[rate * warm]);
        }
        int n = rate * seconds;
        long[] lat = new long[n];
        long start = System.nanoTime();
        int errors = run(vertx, client, req, body, rate, seconds, lat);
        double secs = (System.nanoTime() - start) / 1e9;
        String dump = System.getenv("FIXED_RATE_DUMP"); // one latency (ns) per line, in send order: for looking at the tail
        if (dump != null) {
            StringBuilder b = new StringBuilder(n * 8);
            for (long l : lat) {
                b.append(l).append('\n');
            }
            java.nio.file.Files.writeString(java.nio.file.Path.of(dump), b);
        }
        Arrays.sort(lat);
        System.out.printf("rate=%d/s n=%d conns=%d errors=%d achieved=%.0f/s p50=%.3f ms p90=%.3f ms p99=%.3f ms "
                + "max=%.3f ms%n", rate, n, conns, errors, n / secs, lat[n / 2] / 1e6, lat[(int) (n * 0.90)] / 1e6,
            lat[(int) (n * 0.99)] / 1e6, lat[n - 1] / 1e6);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Sends {@code rate * seconds} requests on schedule; fills {@code lat} (ns after each scheduled time). */
    private static int run(Vertx vertx, HttpClient client, RequestOptions req, Buffer body, int rate, int seconds,
                           long[] lat) throws InterruptedException {
        int n = rate * seconds;
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(n);
        long interval = 1_000_000_000L / rate;
        io.vertx.core.Context loop = vertx.getOrCreateContext();
        long start = System.nanoTime() + 1_000_000;
        Thread pacer = new Thread(() -> {
            int next = 0;
            while (next < n) {
                long due = start + next * interval;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                long now = System.nanoTime();
                int from = next;
                while (next < n && start + next * interval <= now) { // every request due by now, in one hand-off
                    next++;
                }
                int to = next;
                loop.runOnContext(v -> {
                    for (int idx = from; idx < to; idx++) {
                        send(client, req, body, lat, idx, start + idx * interval, errors, done);
                    }
                });
            }
        }, "pacer");
        pacer.setDaemon(true);
        pacer.start();
        done.await();
        return errors.get();
    }

    private static void send(HttpClient client, RequestOptions req, Buffer body, long[] lat, int idx, long due,
                             AtomicInteger errors, CountDownLatch done) {
        client.request(req).compose(r -> r.send(body).compose(resp -> {
            int status = resp.statusCode();
            return resp.body().map(b -> status);
        })).onComplete(ar -> {
            lat[idx] = System.nanoTime() - due;
            if (ar.failed() || ar.result() != 200) {
                if (errors.incrementAndGet() == 1) { // say what the first one was, or the figures mean nothing
                    System.err.println("first error: " + (ar.failed() ? ar.cause() : "HTTP " + ar.result()));
                }
            }
            done.countDown();
        });
    }
}
