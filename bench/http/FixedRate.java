// Open-loop load at a fixed rate (not a test): sends POSTs at RATE/s for SECONDS over loopback and prints p50/p99.
// Latency is measured from each request's scheduled send time, so queueing delay counts (no coordinated omission).
// Usage: java FixedRate.java URL TOKEN CSRF RATE SECONDS BODY
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

public class FixedRate {
    public static void main(String[] a) throws Exception {
        URI uri = URI.create(a[0]);
        int rate = Integer.parseInt(a[3]);
        int seconds = Integer.parseInt(a[4]);
        HttpRequest req = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + a[1])
            .header("X-CSRF-Token", a[2]).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(a[5])).version(HttpClient.Version.HTTP_1_1).build();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int i = 0; i < 2000; i++) { // warm-up
            client.send(req, HttpResponse.BodyHandlers.discarding());
        }
        int n = rate * seconds;
        long[] lat = new long[n];
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(n);
        long start = System.nanoTime();
        long interval = 1_000_000_000L / rate;
        for (int i = 0; i < n; i++) {
            long due = start + i * interval;
            while (System.nanoTime() < due) {
                Thread.onSpinWait();
            }
            int idx = i;
            client.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                lat[idx] = System.nanoTime() - due;
                if (e != null || r.statusCode() != 200) {
                    errors.incrementAndGet();
                }
                done.countDown();
            });
        }
        done.await();
        double secs = (System.nanoTime() - start) / 1e9;
        Arrays.sort(lat);
        System.out.printf("rate=%d/s n=%d errors=%d achieved=%.0f/s p50=%.3f ms p90=%.3f ms p99=%.3f ms max=%.3f ms%n",
            rate, n, errors.get(), n / secs, lat[n / 2] / 1e6, lat[(int) (n * 0.90)] / 1e6, lat[(int) (n * 0.99)] / 1e6,
            lat[n - 1] / 1e6);
    }
}
