package dev.cloned.gateway.connectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectorWatcherTest {
    @TempDir
    Path dir;

    @Test
    void should_reconcile_first_and_then_only_when_a_watched_file_changes() throws Exception {
        Path registry = dir.resolve("registry.yaml");
        LinkedBlockingQueue<Integer> runs = new LinkedBlockingQueue<>();
        AtomicInteger n = new AtomicInteger();
        try (ConnectorWatcher w = new ConnectorWatcher(List.of(registry), Duration.ofMillis(20),
            () -> runs.add(n.incrementAndGet())).start()) {
            assertThat(runs.poll(30, TimeUnit.SECONDS)).as("the first check reconciles").isEqualTo(1);
            Files.writeString(registry, "connectors: {}\n"); // missing -> present is a change
            assertThat(runs.poll(30, TimeUnit.SECONDS)).isEqualTo(2);
            assertThat(runs.poll(200, TimeUnit.MILLISECONDS)).as("no change, no reconciliation").isNull();
        }
    }

    @Test
    void should_let_a_reconciliation_in_progress_finish_before_close_returns() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        ConnectorWatcher w = new ConnectorWatcher(List.of(dir.resolve("registry.yaml")), Duration.ofMillis(20), () -> {
            running.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            finished.incrementAndGet();
        }).start();
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> closing = CompletableFuture.runAsync(w::close);
        assertThatThrownBy(() -> closing.get(300, TimeUnit.MILLISECONDS))
            .as("close waits for the reconciliation that is running").isInstanceOf(TimeoutException.class);
        release.countDown();
        closing.get(60, TimeUnit.SECONDS);
        assertThat(finished).hasValue(1);
    }
}
