package dev.cloned.runtime.policy;

import dev.cloned.rules.PolicyEngine;
import dev.cloned.rules.pack.PackLoader;
import dev.cloned.runtime.Workspace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Hot reload for a serving gateway: watches the workspace overlay ({@code .cloned/policy/}) and, when the workspace
 * uses a pack directory, that directory; a burst of changes is debounced into one {@link ActivePolicy#reload()},
 * which compiles aside on a worker thread and swaps atomically, or rejects the change and keeps the old snapshot.
 * Outcomes reach {@link ActivePolicy} listeners (the audit) and {@code cloned policy status}.
 */
public final class PolicyWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyWatcher.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    private final ActivePolicy policy;
    private final List<Path> dirs;
    private final Duration debounce;
    private final ScheduledExecutorService compiler;
    private WatchService watch;
    private Thread watcher;
    private ScheduledFuture<?> pending;
    private volatile boolean closed;

    /** Watches {@code dirs} (and their subdirectories) for {@code policy}. */
    public PolicyWatcher(ActivePolicy policy, List<Path> dirs, Duration debounce) {
        this.policy = policy;
        this.dirs = List.copyOf(dirs);
        this.debounce = debounce;
        this.compiler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cloned-policy-compile");
            t.setDaemon(true);
            return t;
        });
    }

    /** A watcher on the workspace overlay and, for a pack directory, the pack (debounced by {@code debounce}). */
    public static PolicyWatcher forWorkspace(ActivePolicy policy, Duration debounce) {
        Workspace ws = policy.workspace();
        List<Path> dirs = new ArrayList<>();
        dirs.add(ws.policyDir());
        String pack = ws.config().policyPack();
        if (!PackLoader.BUILT_IN.contains(pack)) {
            dirs.add(ws.root().resolve(pack).normalize());
        }
        return new PolicyWatcher(policy, dirs, debounce);
    }

    /** The watched directories. */
    public List<Path> dirs() {
        return dirs;
    }

    /** Starts watching (creating the overlay directory if it is missing). Returns this watcher. */
    public synchronized PolicyWatcher start() {
        try {
            watch = FileSystems.getDefault().newWatchService();
            for (Path d : dirs) {
                Files.createDirectories(d);
                registerTree(d);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch " + dirs, e);
        }
        watcher = new Thread(this::run, "cloned-policy-watch");
        watcher.setDaemon(true);
        watcher.start();
        LOG.info("watching {} for policy changes", dirs);
        return this;
    }

    /**
     * Reloads now on the compile thread (what a change triggers after the debounce).
     *
     * @return the active engine afterwards; completes exceptionally when the change was rejected
     */
    public CompletableFuture<PolicyEngine> reloadNow() {
        return CompletableFuture.supplyAsync(this::reload, compiler);
    }

    private PolicyEngine reload() {
        try {
            return policy.reload();
        } catch (RuntimeException e) {
            LOG.debug("reload rejected: {}", e.getMessage()); // ActivePolicy logged and recorded it
            throw e;
        }
    }

    private void run() {
        while (!closed) {
            WatchKey key;
            try {
                key = watch.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            boolean relevant = false;
            Path dir = (Path) key.watchable();
            for (WatchEvent<?> ev : key.pollEvents()) {
                if (ev.kind() == StandardWatchEventKinds.OVERFLOW) {
                    relevant = true;
                    continue;
                }
                Path p = dir.resolve((Path) ev.context());
                if (ev.kind() == StandardWatchEventKinds.ENTRY_CREATE && Files.isDirectory(p)) {
                    registerQuietly(p);
                    relevant = true;
                } else if (relevant(p)) {
                    relevant = true;
                }
            }
            key.reset();
            if (relevant) {
                schedule();
            }
        }
    }

    private static boolean relevant(Path p) {
        String n = p.getFileName().toString();
        return !n.startsWith(".") && (n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".drl"));
    }

    private synchronized void schedule() {
        if (closed) {
            return;
        }
        if (pending != null) {
            pending.cancel(false); // a later event restarts the quiet period
        }
        pending = compiler.schedule(() -> {
            try {
                reload();
            } catch (RuntimeException ignored) {
                // recorded as a rejection; the old snapshot stays active
            }
        }, debounce.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void registerTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path d : (Iterable<Path>) s.filter(Files::isDirectory)::iterator) {
                d.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
            }
        }
    }

    private void registerQuietly(Path d) {
        try {
            registerTree(d);
        } catch (IOException e) {
            LOG.warn("cannot watch new directory {}: {}", d, e.toString());
        }
    }

    /**
     * Stops watching; a reload already compiling finishes before this returns (so nothing writes the workspace's
     * policy status after a gateway closed), one still in its debounce is dropped.
     */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (pending != null) {
                pending.cancel(false);
            }
            compiler.shutdown();
        }
        try {
            if (!compiler.awaitTermination(CLOSE_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                LOG.warn("a policy reload still runs {} after close; leaving it to finish", CLOSE_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (watch != null) {
                watch.close();
            }
        } catch (IOException e) {
            LOG.debug("closing watch service: {}", e.toString());
        }
        if (watcher != null) {
            watcher.interrupt();
        }
    }
}
