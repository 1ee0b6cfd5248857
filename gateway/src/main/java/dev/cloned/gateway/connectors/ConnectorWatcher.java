package dev.cloned.gateway.connectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Applies connector changes other processes make (the CLI enabling, disabling, installing or removing a connector,
 * or revoking a publisher) to a long-lived gateway: a worker thread stats the watched files every interval and runs
 * the reconciliation when one of them changed. A stat, not a {@code WatchService}: the registry is replaced by an
 * atomic rename (a new file key every write), which a stat sees on every platform, while the JDK's watch service
 * polls every few seconds on some. The first check always reconciles, so a change made while the gateway was
 * starting is not missed.
 */
public final class ConnectorWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorWatcher.class);
    private final List<Path> files;
    private final Duration interval;
    private final Runnable reconcile;
    private final ScheduledExecutorService worker;
    private String seen;

    /**
     * @param files     the files whose change triggers {@code reconcile} (missing files count as a state)
     * @param reconcile run on the watcher's thread; its failures are logged and retried on the next change
     */
    public ConnectorWatcher(List<Path> files, Duration interval, Runnable reconcile) {
        this.files = List.copyOf(files);
        this.interval = Objects.requireNonNull(interval, "interval");
        this.reconcile = reconcile;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cloned-connector-watch");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts checking; returns this watcher. */
    public ConnectorWatcher start() {
        worker.scheduleWithFixedDelay(this::check, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("watching {} for connector changes (every {} ms)", files, interval.toMillis());
        return this;
    }

    /** The watched files. */
    public List<Path> files() {
        return files;
    }

    private void check() {
        String now = fingerprint();
        if (now.equals(seen)) {
            return;
        }
        try {
            reconcile.run();
            seen = now;
        } catch (RuntimeException e) {
            seen = now; // a broken file is reported once; its next edit is tried again
            LOG.warn("connector changes not applied: {}", e.getMessage());
        }
    }

    private String fingerprint() {
        StringBuilder b = new StringBuilder();
        for (Path f : files) {
            try {
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                b.append(a.fileKey()).append('/').append(a.lastModifiedTime()).append('/').append(a.size());
            } catch (NoSuchFileException e) {
                b.append("missing");
            } catch (IOException e) {
                b.append("unreadable");
            }
            b.append(';');
        }
        return b.toString();
    }

    /**
     * Stops checking; a reconciliation in progress finishes before this returns, so none starts or stops a connector
     * after the gateway closed its supervisor.
     */
    @Override
    public void close() {
        worker.shutdown();
        try {
            if (!worker.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("a connector reconciliation still runs 30 s after close; leaving it to finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
