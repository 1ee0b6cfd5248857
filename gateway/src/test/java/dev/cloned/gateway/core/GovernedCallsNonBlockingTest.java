package dev.cloned.gateway.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.error.ClonedException;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.gateway.http.Blocking;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.approval.Approvals;
import dev.cloned.runtime.budget.Budgets;
import dev.cloned.runtime.store.Store;
import dev.cloned.runtime.tools.CallResult;
import dev.cloned.runtime.tools.RegisteredTool;
import dev.cloned.runtime.tools.ToolCallEnvelope;
import dev.cloned.runtime.tools.ToolDescriptor;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every case of {@link GovernedCallsTest} through {@code callNonBlocking}, started on a real Vert.x event loop, over a
 * store that refuses to be used from an event loop: same results, entries and charges, and no store access on the
 * loop. Plus where each kind of call runs.
 */
class GovernedCallsNonBlockingTest extends GovernedCallsTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(2, r -> new Thread(r, "test-blocking"));
    private final AtomicInteger blockingTasks = new AtomicInteger();
    private final List<String> storeOnLoop = new CopyOnWriteArrayList<>();
    private Vertx vertx;
    private Context loop;
    private GovernedCalls calls;
    private ClonedGateway callsOf;

    @BeforeEach
    void onALoop() {
        vertx = Vertx.vertx();
        loop = vertx.getOrCreateContext();
    }

    /** The path under test over the current gateway's parts (a case may reopen the gateway), its store guarded. */
    private GovernedCalls calls() {
        if (callsOf != gw) {
            Store real = gw.store();
            Store guarded = (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
                (proxy, m, args) -> {
                    if (Context.isOnEventLoopThread()) {
                        storeOnLoop.add(m.getName());
                        throw new IllegalStateException("store." + m.getName() + " on an event loop");
                    }
                    try {
                        return m.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
            calls = new GovernedCalls(gw.config().workspaceId(), gw.policy(), gw.tools(), new Budgets(guarded),
                new Approvals(guarded, Clock.systemUTC()), gw.audit(), Clock.systemUTC());
            gw.policy().current(); // a serving gateway compiles before it listens
            callsOf = gw;
        }
        return calls;
    }

    @AfterEach
    void stopLoop() throws Exception {
        pool.shutdownNow();
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(storeOnLoop).as("store calls made on the event loop").isEmpty();
    }

    @Override
    CallResult call(String tool, String input, boolean dry) throws Exception {
        JsonNode in = CanonicalJson.MAPPER.readTree(input);
        return onLoop(new ToolCallEnvelope(tool, in, "test", dry, null));
    }

    private CallResult onLoop(ToolCallEnvelope env) throws Exception {
        GovernedCalls calls = calls();
        CompletableFuture<CallResult> result = new CompletableFuture<>();
        loop.runOnContext(v -> {
            try {
                calls.callNonBlocking(env, task -> {
                    blockingTasks.incrementAndGet();
                    pool.execute(task);
                }, Blocking.onThisLoop()).whenComplete((r, e) -> {
                    if (e != null) {
                        result.completeExceptionally(e);
                    } else {
                        result.complete(r);
                    }
                });
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
    }

    private static ToolDescriptor reporting(String id) throws Exception {
        return new ToolDescriptor(id, "reports the thread it ran on", "cloned.internal", "cloned.official",
            List.of("util.echo"), "low", null, null, null, CanonicalJson.MAPPER.readTree("{\"type\":\"object\"}"));
    }

    private CallResult where(String tool) throws Exception {
        return onLoop(new ToolCallEnvelope(tool, CanonicalJson.MAPPER.createObjectNode(), "test", false, null));
    }

    @Test
    void should_run_a_free_non_blocking_call_on_the_loop_alone_and_a_blocking_tool_on_the_pool() throws Exception {
        gw.tools().register(RegisteredTool.nonBlocking(reporting("test.inline@v1"),
            (in, ctx) -> CanonicalJson.MAPPER.createObjectNode().put("thread", Thread.currentThread().getName())));
        gw.tools().register(new RegisteredTool(reporting("test.blocking@v1"),
            (in, ctx) -> CanonicalJson.MAPPER.createObjectNode().put("thread", Thread.currentThread().getName())));

        CallResult inline = where("test.inline@v1");
        assertThat(inline.status()).isEqualTo(CallResult.Status.SUCCEEDED);
        assertThat(inline.output().path("thread").asText()).startsWith("vert.x-eventloop-thread-");
        assertThat(blockingTasks).as("nothing of a free non-blocking call was handed to a blocking thread").hasValue(0);

        CallResult blocking = where("test.blocking@v1");
        assertThat(blocking.status()).isEqualTo(CallResult.Status.SUCCEEDED);
        assertThat(blocking.output().path("thread").asText()).isEqualTo("test-blocking");
        assertThat(blockingTasks).as("decided on the loop, dispatched on the pool").hasValue(1);
    }

    @Test
    void should_start_an_async_tool_where_its_decision_entry_completes_and_handle_its_outcome_on_the_loop()
        throws Exception {
        ExecutorService upstream = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-upstream"));
        List<String> started = new CopyOnWriteArrayList<>();
        List<String> outcomes = new CopyOnWriteArrayList<>();
        try {
            gw.tools().register(RegisteredTool.async(reporting("test.async@v1"),
                (in, ctx) -> CanonicalJson.MAPPER.createObjectNode().put("ran", "sync"),
                (in, ctx, blocking) -> {
                    started.add(Thread.currentThread().getName());
                    return CompletableFuture.supplyAsync(() -> CanonicalJson.MAPPER.createObjectNode()
                        .put("ran", "async").put("on", Thread.currentThread().getName()), upstream);
                }));
            gw.tools().register(RegisteredTool.async(reporting("test.async-fails@v1"), (in, ctx) -> {
                throw new IllegalStateException("sync");
            }, (in, ctx, blocking) -> CompletableFuture.supplyAsync(() -> {
                throw new ClonedException(dev.cloned.error.ErrorCode.CONNECTOR_FAILED, "the upstream broke");
            }, upstream)));
            gw.tools().register(RegisteredTool.async(reporting("test.async-refuses@v1"), (in, ctx) -> {
                throw new IllegalStateException("sync");
            }, (in, ctx, blocking) -> CompletableFuture.supplyAsync(() -> {
                throw new ClonedException(dev.cloned.error.ErrorCode.VAULT_UNAVAILABLE, "the vault is locked",
                    "unlock it");
            }, upstream)));
            calls().onEvent(ev -> {
                if ("outcome".equals(ev.path("type").asText())) {
                    outcomes.add(Thread.currentThread().getName());
                }
            });

            CallResult ok = where("test.async@v1");
            assertThat(ok.status()).isEqualTo(CallResult.Status.SUCCEEDED);
            assertThat(ok.output().path("ran").asText()).isEqualTo("async");
            assertThat(ok.output().path("on").asText()).isEqualTo("test-upstream");
            assertThat(started).as("started by the audit's thread that completed the decision entry (or the loop, had"
                + " it been complete already), never a blocking thread").singleElement().asString()
                .matches("cloned-audit-(writer|notify)|vert\\.x-eventloop-thread-\\d+");
            assertThat(outcomes).singleElement().asString().startsWith("vert.x-eventloop-thread-");
            assertThat(blockingTasks).as("nothing of a free async call was handed to a blocking thread").hasValue(0);

            CallResult failed = where("test.async-fails@v1");
            assertThat(failed.status()).isEqualTo(CallResult.Status.FAILED);
            assertThat(failed.error()).isEqualTo("the upstream broke");

            CallResult refused = where("test.async-refuses@v1");
            assertThat(refused.status()).isEqualTo(CallResult.Status.DENIED);
            assertThat(refused.decision().reasons().get(0).code()).isEqualTo("vault_unavailable");
            assertThat(outcomes.get(2)).as("a refusal is recorded off the loop").isEqualTo("test-blocking");

            gw.audit().awaitFlushed();
            List<String> kinds = gw.store().audit(0, 10_000).stream()
                .filter(e -> e.toolId() != null && e.toolId().startsWith("test.async"))
                .map(e -> e.toolId() + " " + e.kind() + " " + e.outcome())
                .toList();
            assertThat(kinds).containsExactly("test.async decision null", "test.async outcome success",
                "test.async-fails decision null", "test.async-fails outcome failure",
                "test.async-refuses decision null", "test.async-refuses outcome blocked");

            CallResult waited = gw.calls().call(new ToolCallEnvelope("test.async@v1",
                CanonicalJson.MAPPER.createObjectNode(), "test", false, null));
            assertThat(waited.output().path("ran").asText()).as("a caller that waits runs the sync handler")
                .isEqualTo("sync");
        } finally {
            upstream.shutdownNow();
        }
    }

    @Test
    void should_hand_budget_and_approval_work_to_the_pool() throws Exception {
        assertThat(call("cloned.internal.meter@v1", "{\"units\":2}", false).status())
            .isEqualTo(CallResult.Status.SUCCEEDED);
        int afterMeter = blockingTasks.get();
        assertThat(afterMeter).as("a metered call reads its budget off the loop").isGreaterThan(0);

        CallResult pending = call("cloned.internal.artifact.write@v1", "{\"name\":\"a.txt\",\"content\":\"x\"}", false);
        assertThat(pending.status()).isEqualTo(CallResult.Status.PENDING_APPROVAL);
        assertThat(blockingTasks.get()).as("an approval request is written off the loop").isGreaterThan(afterMeter);
    }

    @Test
    void should_throw_a_validation_error_before_anything_is_recorded() throws Exception {
        gw.audit().awaitFlushed();
        int before = gw.store().audit(0, 10_000).size();
        assertThatThrownBy(() -> call("cloned.internal.meter@v1", "{\"units\":-1}", false))
            .isInstanceOf(ClonedException.class).hasMessageContaining("is invalid");
        assertThatThrownBy(() -> call("cloned.internal.echo@v1", "[1]", false))
            .isInstanceOf(ClonedException.class).hasMessageContaining("is invalid");
        gw.audit().awaitFlushed();
        assertThat(gw.store().audit(0, 10_000)).hasSize(before);
    }
}
