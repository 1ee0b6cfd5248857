package dev.cloned.gateway.http;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.runtime.redact.Redactor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs blocking work (SQLite, the fsync'd audit, file I/O, rule compilation) on a named worker pool, never on an
 * event loop, and counts what is in flight so shutdown can drain it.
 */
public final class Blocking {
    private static final Logger LOG = LoggerFactory.getLogger(Blocking.class);
    private final Vertx vertx;
    private final WorkerExecutor workers;
    /**
     * Runs what follows a governed call's durable decision (dispatch, which may block on a tool); no thread waits for
     * the audit's fsync in between.
     */
    private final ExecutorService continuations;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile Promise<Void> drained;

    public Blocking(Vertx vertx, int poolSize) {
        this.vertx = vertx;
        this.workers = vertx.createSharedWorkerExecutor("cloned-gateway-worker", poolSize);
        AtomicInteger n = new AtomicInteger();
        this.continuations = Executors.newFixedThreadPool(poolSize, r -> {
            Thread t = new Thread(r, "cloned-gateway-continue-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Where work that follows an asynchronous step (see {@link #respondNow}) continues; it may block. */
    public Executor continuations() {
        return continuations;
    }

    /** Runs {@code work} on a worker. */
    public <T> Future<T> run(Callable<T> work) {
        inFlight.incrementAndGet();
        return workers.<T>executeBlocking(work, false).onComplete(ar -> done());
    }

    /** Runs {@code work} on a worker and writes its reply, or a problem when it fails. */
    public void respond(RoutingContext ctx, Callable<Reply> work) {
        inFlight.incrementAndGet();
        send(ctx, workers.executeBlocking(work, false));
    }

    /**
     * Runs {@code start} here, on the event loop: it must not block, and hands what may block to
     * {@link #continuations()} itself. The reply is written once its stage completes (on this loop); a failure thrown
     * by {@code start} is written as a problem. Counted as in flight until then.
     */
    public void respondNow(RoutingContext ctx, Callable<CompletionStage<Reply>> start) {
        inFlight.incrementAndGet();
        Context requestContext = vertx.getOrCreateContext();
        Future<Reply> reply;
        try {
            reply = Future.fromCompletionStage(start.call(), requestContext);
        } catch (Exception e) {
            reply = Future.failedFuture(e);
        }
        send(ctx, reply);
    }

    /** An executor that runs tasks on the calling event loop's context (use it from that loop). */
    public static Executor onThisLoop() {
        Context loop = Vertx.currentContext();
        if (loop == null || !loop.isEventLoopContext()) {
            throw new IllegalStateException("not on an event loop");
        }
        return task -> loop.runOnContext(v -> task.run());
    }

    /** Writes the reply, or a problem; only then is the request no longer in flight, so a drain never cuts it off. */
    private void send(RoutingContext ctx, Future<Reply> reply) {
        reply.onComplete(ar -> {
            try {
                if (ar.succeeded()) {
                    ar.result().send(ctx.response());
                } else {
                    fail(ctx, ClonedException.unwrap(ar.cause()));
                }
            } finally {
                done();
            }
        });
    }

    /**
     * Writes a failure as problem JSON. An unexpected one is a bug: it is logged with its stack (message redacted) so
     * that "see the gateway log" finds it; the client gets only its class name.
     */
    public static void fail(RoutingContext ctx, Throwable e) {
        if (e instanceof ClonedException) {
            Problems.send(ctx, (ClonedException) e);
        } else {
            Redactor redactor = ctx.get(Problems.REDACTOR);
            String msg = String.valueOf(e.getMessage());
            RuntimeException logged = new RuntimeException(e.getClass().getName() + ": "
                + (redactor == null ? msg : redactor.redact(msg)));
            logged.setStackTrace(e.getStackTrace());
            LOG.error("internal error on {} {}", ctx.request().method(), ctx.normalizedPath(), logged);
            Problems.send(ctx, ErrorCode.INTERNAL, "internal error (" + e.getClass().getSimpleName() + ")",
                "see the gateway log");
        }
    }

    /** Starts asynchronous work on the caller's thread, counted as in flight until its stage completes. */
    public <T> CompletionStage<T> countedStage(java.util.function.Supplier<CompletionStage<T>> start) {
        inFlight.incrementAndGet();
        CompletionStage<T> stage;
        try {
            stage = start.get();
        } catch (RuntimeException e) {
            done();
            throw e;
        }
        return stage.whenComplete((r, e) -> done());
    }

    /** Calls currently running. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Completes once nothing is in flight. */
    public Future<Void> drain() {
        Promise<Void> p = Promise.promise();
        drained = p;
        if (inFlight.get() == 0) {
            p.tryComplete();
        }
        return p.future();
    }

    /** Closes the pool (after {@link #drain()}). */
    public Future<Void> close() {
        continuations.shutdown();
        return workers.close();
    }

    /** The Vert.x instance. */
    public Vertx vertx() {
        return vertx;
    }

    private void done() {
        if (inFlight.decrementAndGet() == 0 && drained != null) {
            drained.tryComplete();
        }
    }
}
